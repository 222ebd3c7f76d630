import { DeliveryModel } from '../../src/modules/contracts/contracts.enums';
import { addSubcontractor } from '../../src/modules/contracts/contracts.service';
import { OrganisationKind, Role } from '../../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../../src/modules/identity/identity.service';
import { type TestArea, bornFor, createArea, nino } from './registry';
import type { TestServer } from './server';

export interface Member {
  id: string;
  key: string;
}

/**
 * A CPA with two primes. Prime A's chain: two end-to-end subcontractors, a spot provider
 * commissioned by the first, a specialist and an in-work support provider. Prime B has an
 * end-to-end subcontractor of its own.
 */
export interface TestChain {
  area: TestArea;
  prime: Member;
  otherPrime: Member;
  endToEnd: Member;
  secondEndToEnd: Member;
  spot: Member;
  specialist: Member;
  inWork: Member;
  otherPrimesSubcontractor: Member;
  jobcentre: Member;
  analyst: Member;
}

export async function createChain(t: TestServer, code: number, period?: { startsOn: string; endsOn: string }): Promise<TestChain> {
  const db = t.db.dataSource;
  const area = await createArea(t, code, [10000, 0], period);
  const [contractA, contractB] = area.contracts;
  const member = async (name: string, contractId: string, deliveryModel: DeliveryModel, parentSubcontractId?: string) => {
    const { secret, organisationId } = await t.keyFor(Role.PROVIDER, `${name} ${code}`);
    const place = await addSubcontractor(db, { contractId, subcontractorId: organisationId, deliveryModel, parentSubcontractId });
    return { id: organisationId, key: secret, place: place.id };
  };
  const endToEnd = await member('End-to-end', contractA.id, DeliveryModel.END_TO_END);
  const secondEndToEnd = await member('Second end-to-end', contractA.id, DeliveryModel.END_TO_END);
  const spot = await member('Spot', contractA.id, DeliveryModel.SPOT, endToEnd.place);
  const specialist = await member('Specialist', contractA.id, DeliveryModel.SPECIALIST_END_TO_END);
  const inWork = await member('In-work', contractA.id, DeliveryModel.IN_WORK_SUPPORT);
  const otherPrimesSubcontractor = await member('Other chain', contractB.id, DeliveryModel.END_TO_END);
  // The chain's Jobcentre serves the CPA: it refers into it only.
  const jobcentreOrganisation = await registerOrganisation(db, { name: `Jobcentre ${code}`, kind: OrganisationKind.JOBCENTRE, cpaCode: code });
  const jobcentre = { organisationId: jobcentreOrganisation.id, secret: (await issueApiKey(db, { organisationId: jobcentreOrganisation.id, role: Role.JOBCENTRE })).secret };
  const analyst = await t.keyFor(Role.ANALYST, `Analysts ${code}`);
  const as = (m: { secret: string; organisationId: string }) => ({ id: m.organisationId, key: m.secret });
  return {
    area,
    prime: { id: contractA.primeId, key: area.primeKeys[0] },
    otherPrime: { id: contractB.primeId, key: area.primeKeys[1] },
    endToEnd,
    secondEndToEnd,
    spot,
    specialist,
    inWork,
    otherPrimesSubcontractor,
    jobcentre: as(jobcentre),
    analyst: as(analyst),
  };
}

let referred = 0;
/** A referral to the chain's prime (or moved to the other prime), acknowledged, and attached on `attachedOn` unless null. */
export async function attachedReferral(
  t: TestServer,
  c: TestChain,
  options: { paymentGroup: string; referredOn: string; attachedOn: string | null; participationMode?: string; district?: string; toOtherPrime?: boolean },
): Promise<string> {
  referred += 1;
  const reference = `ATT-${c.area.code}-${referred}`;
  const submitted = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } | null; userErrors: Array<{ code: string }> }> } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } userErrors { code } } } }`,
    {
      input: {
        referrals: [{
          clientReference: reference, cpaCode: c.area.code, jobcentreDistrict: options.district ?? 'District', paymentGroup: options.paymentGroup,
          participationMode: options.participationMode ?? 'MANDATORY', referredOn: options.referredOn,
          claimant: { nino: nino(referred, 'TX'), givenName: 'Sam', familyName: `Attached ${referred}`, dateOfBirth: bornFor(options.paymentGroup, options.referredOn), consentToShareHealth: false },
        }],
      },
    },
    c.jobcentre.key,
  );
  const [result] = submitted.data!.submitReferrals.results;
  if (!result.referral) throw new Error(`referral refused: ${JSON.stringify(result.userErrors)}`);
  const id = result.referral.id;
  const prime = options.toOtherPrime ? c.otherPrime : c.prime;
  if (options.toOtherPrime) {
    await t.gql(
      `mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: "Nearer provider" }) { userErrors { code } } }`,
      { id, contract: c.area.contracts[1].id },
      c.jobcentre.key,
    );
  }
  await t.gql(`mutation($id: ID!) { acknowledgeReferral(input: { referralId: $id }) { userErrors { code } } }`, { id }, prime.key);
  if (!options.attachedOn) return id;
  const attached = await t.gql<{ recordAttachment: { userErrors: Array<{ code: string }> } }>(
    `mutation($id: ID!, $on: Date!) { recordAttachment(input: { referralId: $id, attachedOn: $on }) { userErrors { code } } }`,
    { id, on: options.attachedOn },
    prime.key,
  );
  if (attached.data!.recordAttachment.userErrors.length) throw new Error(`attachment refused: ${JSON.stringify(attached.data!.recordAttachment.userErrors)}`);
  return id;
}
