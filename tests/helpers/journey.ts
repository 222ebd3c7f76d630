import type { Member, TestChain } from './chain';
import { bornFor, nino } from './registry';
import type { GraphQLResponse, TestServer } from './server';

/**
 * A referral's journey through the real server, one step at a time: refer → acknowledge →
 * attach → hand on (offer, accept) → contact → doubt → job. Each step sends the shared document
 * below and fails the test at once, saying why, unless the step succeeded (no GraphQL errors, no
 * userErrors): setup never goes on from a step that was refused.
 */

const USER_ERRORS = 'userErrors { code message field }';

/** The documents of the journey's steps, shared by every test that takes one. */
export const DOCUMENTS = {
  submitReferrals: `mutation Refer($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } ${USER_ERRORS} } } }`,
  acknowledgeReferral: `mutation($input: AcknowledgeReferralInput!) { acknowledgeReferral(input: $input) { referral { id } ${USER_ERRORS} } }`,
  recordAttachment: `mutation($input: RecordAttachmentInput!) { recordAttachment(input: $input) { referral { id } ${USER_ERRORS} } }`,
  overrideAllocation: `mutation($input: OverrideAllocationInput!) { overrideAllocation(input: $input) { referral { id } ${USER_ERRORS} } }`,
  passReferral: `mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } ${USER_ERRORS} } }`,
  respondToHandoff: `mutation($input: RespondToHandoffInput!) { respondToHandoff(input: $input) { handoff { id } ${USER_ERRORS} } }`,
  recordContact: `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } ${USER_ERRORS} } }`,
  raiseComplianceDoubt: `mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { complianceDoubt { id } ${USER_ERRORS} } }`,
  recordJobStart: `mutation($input: RecordJobStartInput!) { recordJobStart(input: $input) { jobStart { id } ${USER_ERRORS} } }`,
  queryReferral: `mutation($input: QueryReferralInput!) { queryReferral(input: $input) { referralQuery { id } ${USER_ERRORS} } }`,
  resolveReferralQuery: `mutation($input: ResolveReferralQueryInput!) { resolveReferralQuery(input: $input) { referralQuery { id } ${USER_ERRORS} } }`,
  recordExit: `mutation($input: RecordExitInput!) { recordExit(input: $input) { referral { id } ${USER_ERRORS} } }`,
} as const;

type Step = keyof typeof DOCUMENTS;

/** Where a step is sent: another API process (`url`), with a request id of the test's own. */
export interface Via {
  url?: string;
  requestId?: string;
}

/** Sends one step as `key` and answers its payload, or throws with what the server said instead. */
export async function step<T = Record<string, { id: string } | null>>(
  t: TestServer,
  name: Step,
  input: Record<string, unknown>,
  key: string,
  via: Via = {},
): Promise<T> {
  const response = await fetch(via.url ?? t.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${key}`,
      ...(via.requestId ? { 'x-request-id': via.requestId } : {}),
    },
    body: JSON.stringify({ query: DOCUMENTS[name], variables: { input } }),
  });
  const body = (await response.json()) as GraphQLResponse<Record<string, T & { userErrors?: unknown[]; results?: Array<{ userErrors: unknown[] }> }>>;
  const payload = body.data?.[name];
  const refused = payload?.userErrors?.length || payload?.results?.some((result) => result.userErrors.length);
  if (body.errors || !payload || refused) throw new Error(`${name} did not succeed: ${JSON.stringify(body)}`);
  return payload;
}

export interface ReferOptions {
  /** Defaults: the next `J-<cpa>-<n>`, the next NINO under `JY`. */
  clientReference?: string;
  nino?: string;
  cpaCode?: number;
  district?: string;
  paymentGroup?: string;
  participationMode?: string;
  referredOn?: string;
  /** Fields of the claimant beyond (or instead of) the defaults. */
  claimant?: Record<string, unknown>;
  /** What the Jobcentre sends beyond the claimant (`ReferralInput.record`). */
  record?: Record<string, unknown>;
  /** The first appointment the Jobcentre books with the referral. */
  firstAppointment?: Record<string, unknown>;
  /** The referring Jobcentre's key; the chain's Jobcentre without it. */
  key?: string;
  via?: Via;
}

export interface HandOnOptions {
  purpose?: string;
  sharedFields?: string[];
  /** The sender: the prime without it. */
  from?: Member;
}

let journeys = 0;

/** One referral on its way along a test chain: each method is a step of its journey. */
export class Journey {
  private constructor(
    readonly t: TestServer,
    readonly c: TestChain,
    readonly referralId: string,
    /** The prime holding it now (the other prime after `overrideTo`). */
    public prime: Member,
  ) {}

  /** Submits one referral by the chain's Jobcentre to its CPA; the chain's prime receives it. */
  static async refer(t: TestServer, c: TestChain, options: ReferOptions = {}): Promise<Journey> {
    journeys += 1;
    const paymentGroup = options.paymentGroup ?? 'JSA_25_PLUS';
    const referredOn = options.referredOn ?? '2024-05-01';
    const payload = await step<{ results: Array<{ referral: { id: string } }> }>(
      t,
      'submitReferrals',
      {
        referrals: [
          {
            clientReference: options.clientReference ?? `J-${c.area.code}-${journeys}`,
            cpaCode: options.cpaCode ?? c.area.code,
            jobcentreDistrict: options.district ?? 'District',
            paymentGroup,
            participationMode: options.participationMode ?? 'MANDATORY',
            referredOn,
            claimant: {
              nino: options.nino ?? nino(journeys, 'JY'),
              givenName: 'Sam',
              familyName: `Journey ${journeys}`,
              // Within the payment group's age band on the referral date (eligibility).
              dateOfBirth: bornFor(paymentGroup, referredOn),
              consentToShareHealth: false,
              ...options.claimant,
            },
            ...(options.record && { record: options.record }),
            ...(options.firstAppointment ? { firstAppointment: options.firstAppointment } : {}),
          },
        ],
      },
      options.key ?? c.jobcentre.key,
      options.via,
    );
    return new Journey(t, c, payload.results[0].referral.id, c.prime);
  }

  /** The journey of a referral made before (held by the chain's prime unless `prime` says otherwise). */
  static of(t: TestServer, c: TestChain, referralId: string, prime: Member = c.prime): Journey {
    return new Journey(t, c, referralId, prime);
  }

  /** The referring Jobcentre moves it to the CPA's other contract (and so to the other prime). */
  async overrideTo(contractIndex = 1, reason = 'Nearer provider'): Promise<this> {
    await step(this.t, 'overrideAllocation', { referralId: this.referralId, contractId: this.c.area.contracts[contractIndex].id, reason }, this.c.jobcentre.key);
    this.prime = contractIndex === 0 ? this.c.prime : this.c.otherPrime;
    return this;
  }

  async acknowledge(): Promise<this> {
    await step(this.t, 'acknowledgeReferral', { referralId: this.referralId }, this.prime.key);
    return this;
  }

  async attach(attachedOn: string): Promise<this> {
    await step(this.t, 'recordAttachment', { referralId: this.referralId, attachedOn }, this.prime.key);
    return this;
  }

  /** The prime queries it; answers the query's id. */
  async query(grounds = 'INELIGIBLE', reason = 'Health condition'): Promise<string> {
    const payload = await step<{ referralQuery: { id: string } }>(this.t, 'queryReferral', { referralId: this.referralId, grounds, reason }, this.prime.key);
    return payload.referralQuery.id;
  }

  /** The prime queries it and the referring Jobcentre withdraws it: it ends as WITHDRAWN. */
  async withdraw(): Promise<this> {
    const referralQueryId = await this.query();
    await step(this.t, 'resolveReferralQuery', { referralQueryId, resolution: 'WITHDRAW' }, this.c.jobcentre.key);
    return this;
  }

  async exit(exitedOn: string, reason = 'LEFT_BENEFIT'): Promise<this> {
    await step(this.t, 'recordExit', { referralId: this.referralId, exitedOn, reason }, this.prime.key);
    return this;
  }

  /** Offers the referral to `to`; answers the handoff's id. */
  async offer(to: Member, { purpose = 'END_TO_END_DELIVERY', sharedFields = [], from = this.prime }: HandOnOptions = {}): Promise<string> {
    const payload = await step<{ handoff: { id: string } }>(
      this.t,
      'passReferral',
      { referralId: this.referralId, toOrganisationId: to.id, purpose, sharedFields },
      from.key,
    );
    return payload.handoff.id;
  }

  /** The receiver accepts an offer. */
  async accept(handoffId: string, by: Member): Promise<this> {
    await step(this.t, 'respondToHandoff', { handoffId, accept: true }, by.key);
    return this;
  }

  /** Hands the referral on: offered to `to`, accepted by it. Answers the handoff's id. */
  async handOn(to: Member, options: HandOnOptions = {}): Promise<string> {
    const handoffId = await this.offer(to, options);
    await this.accept(handoffId, to);
    return handoffId;
  }

  /** Records a contact (by the prime without `by`); answers its id. */
  async contact(input: Record<string, unknown>, by: Member = this.prime): Promise<string> {
    const payload = await step<{ contact: { id: string } }>(this.t, 'recordContact', { referralId: this.referralId, ...input }, by.key);
    return payload.contact.id;
  }

  /** Raises a compliance doubt (by the prime without `by`); answers its id. */
  async doubt(input: Record<string, unknown>, by: Member = this.prime): Promise<string> {
    const payload = await step<{ complianceDoubt: { id: string } }>(this.t, 'raiseComplianceDoubt', { referralId: this.referralId, ...input }, by.key);
    return payload.complianceDoubt.id;
  }

  /** Records a job start (by the prime without `by`); answers its id. */
  async job(input: Record<string, unknown>, by: Member = this.prime): Promise<string> {
    const payload = await step<{ jobStart: { id: string } }>(this.t, 'recordJobStart', { referralId: this.referralId, ...input }, by.key);
    return payload.jobStart.id;
  }
}

/**
 * A referral to the chain's prime (or moved to the other prime), acknowledged, and attached on
 * `attachedOn` unless null. Answers its id.
 */
export async function attachedReferral(
  t: TestServer,
  c: TestChain,
  options: { paymentGroup: string; referredOn: string; attachedOn: string | null; participationMode?: string; district?: string; toOtherPrime?: boolean },
): Promise<string> {
  const journey = await Journey.refer(t, c, {
    paymentGroup: options.paymentGroup,
    referredOn: options.referredOn,
    participationMode: options.participationMode,
    district: options.district,
  });
  if (options.toOtherPrime) await journey.overrideTo(1);
  await journey.acknowledge();
  if (options.attachedOn) await journey.attach(options.attachedOn);
  return journey.referralId;
}

/** Ends a referral as the programme does: its prime queries it, its referring Jobcentre withdraws it. */
export async function withdrawReferral(t: TestServer, referralId: string, primeKey: string, jobcentreKey: string): Promise<void> {
  const { referralQuery } = await step<{ referralQuery: { id: string } }>(t, 'queryReferral', { referralId, grounds: 'DUPLICATE', reason: 'Referred already' }, primeKey);
  await step(t, 'resolveReferralQuery', { referralQueryId: referralQuery.id, resolution: 'WITHDRAW' }, jobcentreKey);
}
