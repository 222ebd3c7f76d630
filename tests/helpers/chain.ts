import { DeliveryModel } from '../../src/modules/contracts/contracts.enums';
import { addSubcontractor } from '../../src/modules/contracts/contracts.service';
import { Role } from '../../src/auth/access.enums';
import { OrganisationKind } from '../../src/modules/identity/identity.enums';
import { issueApiKey, registerOrganisation } from '../../src/modules/identity/identity.service';
import { type TestArea, createArea } from './registry';
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
