import { ErrorCode } from '../../src/common/error-codes';
import { ReferralQueryStatus } from '../../src/modules/referrals/query-states';
import { lastDayToQuery, queryErrors } from '../../src/modules/referrals/referral-queries';
import { ExitReason, RejectionReason } from '../../src/modules/referrals/referral.enums';
import { ReferralStatus } from '../../src/auth/access.enums';
import { type PastParticipation, type PersonHistory, judgeReturn } from '../../src/modules/referrals/returns';

/** The pure rules of queries and returners (referral-queries.ts, returns.ts), without a database. */

const participation = (changes: Partial<PastParticipation> = {}): PastParticipation => ({
  referralId: 'r1',
  contractId: 'north',
  jobcentreId: 'jcp',
  allottedUntil: '2026-01-15',
  exitReason: ExitReason.LEFT_BENEFIT,
  live: false,
  referralAfterCompletion: false,
  ...changes,
});
const history = (changes: Partial<PersonHistory> = {}): PersonHistory => ({ participation: null, withdrawal: null, ...changes });
const judge = (h: PersonHistory | undefined, referredOn = '2024-07-01', jobcentreId = 'jcp', inForce: (id: string) => boolean = (id) => id === 'north') =>
  judgeReturn(h, { jobcentreId, referredOn, inForce });
const code = (decision: ReturnType<typeof judgeReturn>) => (decision.kind === 'refused' ? decision.error.code : decision.kind);

describe('returners', () => {
  it('reopens a participation within its allotted time, on its own referral', () => {
    expect(judge(history({ participation: participation() }))).toEqual({ kind: 'reopen', referralId: 'r1', contractId: 'north' });
    // Still attached, off benefit: the return clears the marker on the same referral.
    expect(judge(history({ participation: participation({ exitReason: null, live: true }) }))).toEqual({ kind: 'reopen', referralId: 'r1', contractId: 'north' });
    // The last day of the allotted time still counts.
    expect(judge(history({ participation: participation() }), '2026-01-15').kind).toBe('reopen');
  });

  it('refuses a returner another Jobcentre refers', () => {
    expect(code(judge(history({ participation: participation() }), '2024-07-01', 'elsewhere'))).toBe(ErrorCode.RETURNER_WITH_OTHER_JOBCENTRE);
  });

  it('refuses a person who completed, unless the programme allows it', () => {
    for (const completed of [participation({ allottedUntil: '2024-06-30' }), participation({ exitReason: ExitReason.FINAL_PAYMENT_CLAIMED }), participation({ exitReason: ExitReason.ALLOTTED_TIME_ENDED })]) {
      expect(code(judge(history({ participation: completed })))).toBe(ErrorCode.PARTICIPATION_COMPLETED);
      expect(judge(history({ participation: { ...completed, referralAfterCompletion: true } }))).toEqual({ kind: 'none' });
    }
  });

  it('sends a person withdrawn within the programme\'s days back to the same contract, while it is in force', () => {
    const withdrawal = { contractId: 'north', withdrawnOn: '2024-04-02', returnAfterWithdrawalDays: 90 };
    expect(judge(history({ withdrawal }))).toEqual({ kind: 'sameContract', contractId: 'north' });
    expect(judge(history({ withdrawal }), '2024-07-02')).toEqual({ kind: 'none' });
    expect(judge(history({ withdrawal }), '2024-06-01', 'jcp', () => false)).toEqual({ kind: 'none' });
    expect(judge(undefined)).toEqual({ kind: 'none' });
  });
});

describe('queries', () => {
  const facts = (changes: Partial<Parameters<typeof queryErrors>[1]> = {}) => ({
    status: ReferralStatus.ALLOCATED,
    queries: [],
    lastDay: '2024-05-15',
    today: '2024-05-15',
    ...changes,
  });
  const codes = (input: { grounds: RejectionReason }, f = facts()) => queryErrors(input, f).map((e) => e.code);

  it('runs for 14 days from the allocation (programme data), before attachment', () => {
    expect(lastDayToQuery(new Date('2024-05-01T23:30:00Z'), 14)).toBe('2024-05-15');
    expect(codes({ grounds: RejectionReason.INELIGIBLE })).toEqual([]);
    expect(codes({ grounds: RejectionReason.INELIGIBLE }, facts({ today: '2024-05-16' }))).toEqual([ErrorCode.QUERY_WINDOW_CLOSED]);
    expect(codes({ grounds: RejectionReason.INELIGIBLE }, facts({ status: ReferralStatus.ATTACHED }))).toEqual([ErrorCode.QUERY_WINDOW_CLOSED]);
    expect(codes({ grounds: RejectionReason.INELIGIBLE }, facts({ status: ReferralStatus.WITHDRAWN }))).toEqual([ErrorCode.ILLEGAL_TRANSITION]);
  });

  it('one open at a time; none again on grounds the Jobcentre confirmed', () => {
    const open = { status: ReferralQueryStatus.OPEN, grounds: RejectionReason.DUPLICATE };
    const confirmed = { status: ReferralQueryStatus.CONFIRMED, grounds: RejectionReason.INELIGIBLE };
    expect(codes({ grounds: RejectionReason.OTHER }, facts({ queries: [open] }))).toEqual([ErrorCode.QUERY_OPEN]);
    expect(codes({ grounds: RejectionReason.INELIGIBLE }, facts({ queries: [confirmed] }))).toEqual([ErrorCode.QUERY_ALREADY_CONFIRMED]);
    expect(codes({ grounds: RejectionReason.DUPLICATE }, facts({ queries: [confirmed] }))).toEqual([]);
  });
});
