import { ErrorCode } from '../../src/common/error-codes';
import { userError } from '../../src/common/user-error';
import { AllocationMethod } from '../../src/modules/allocation/allocation.enums';
import { Nation, PaymentGroup } from '../../src/modules/contracts/contracts.enums';
import { ParticipationMode } from '../../src/modules/referrals/programme';
import { type BatchFacts, type Fate, type ReferralData, judgeSubmission } from '../../src/modules/referrals/submission';

/** submitReferrals' judging alone: what each referral of a batch becomes, given what the exchange holds. */

const TODAY = '2026-03-02';

function facts(overrides: Partial<BatchFacts> = {}): BatchFacts {
  return {
    jobcentreCpaId: null,
    cpas: [
      { id: 'cpa-1', code: 1, nation: Nation.ENGLAND },
      { id: 'cpa-2', code: 2, nation: Nation.SCOTLAND },
    ],
    contracts: [
      { id: 'north', cpaId: 'cpa-1', primeId: 'prime-n', startsOn: '2025-01-01', endsOn: '2030-12-31' },
      { id: 'south', cpaId: 'cpa-1', primeId: 'prime-s', startsOn: '2025-01-01', endsOn: '2030-12-31' },
      { id: 'west', cpaId: 'cpa-2', primeId: 'prime-w', startsOn: '2025-01-01', endsOn: '2030-12-31' },
    ],
    shares: [
      { contractId: 'north', paymentGroup: PaymentGroup.JSA_25_PLUS, effectiveFrom: '2025-01-01', shareBasisPoints: 6000 },
      { contractId: 'south', paymentGroup: PaymentGroup.JSA_25_PLUS, effectiveFrom: '2025-01-01', shareBasisPoints: 4000 },
      { contractId: 'west', paymentGroup: PaymentGroup.JSA_25_PLUS, effectiveFrom: '2025-01-01', shareBasisPoints: 10000 },
    ],
    jobcentreId: 'jcp',
    live: new Map(),
    known: new Map(),
    submitted: new Map(),
    history: new Map(),
    ...overrides,
  };
}

function referral(clientReference: string, nino = 'AB123456C', changes: Partial<ReferralData> = {}): ReferralData {
  return {
    clientReference,
    cpaCode: 1,
    jobcentreDistrict: 'Leeds',
    paymentGroup: PaymentGroup.JSA_25_PLUS,
    participationMode: ParticipationMode.MANDATORY,
    referredOn: '2026-03-01',
    claimant: { nino, givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1980-05-06', consentToShareHealth: false },
    ...changes,
  };
}

/** A draw that always lands at `at` (of 10,000 basis points). */
const drawAt = (at: number) => (shares: Array<{ contractId: string; shareBasisPoints: number }>) => {
  let upTo = 0;
  const won = shares.find((share) => at < (upTo += share.shareBasisPoints))!;
  return { contractId: won.contractId, draw: at };
};

const codes = (fate: Fate) => (fate.fate === 'refused' ? fate.userErrors.map((e) => e.code) : []);

describe('judging a submitted batch', () => {
  it('accepts a valid referral, allocated by a draw among the shares in force on its date', () => {
    const [fate] = judgeSubmission([referral('A-1')], facts(), { today: TODAY, draw: drawAt(7000) });
    expect(fate).toEqual({
      fate: 'accepted',
      accepted: expect.objectContaining({
        index: 0,
        nino: 'AB123456C',
        cpaId: 'cpa-1',
        contractId: 'south',
        method: AllocationMethod.RANDOM,
        draw: 7000,
        shares: [
          { contractId: 'north', shareBasisPoints: 6000 },
          { contractId: 'south', shareBasisPoints: 4000 },
        ],
      }),
    });
  });

  it('lists every rule a referral breaks, its input limits first', () => {
    const tooLong = userError(ErrorCode.TOO_LONG, 'too long', ['jobcentreDistrict']);
    const broken = referral(' ', 'DA123456A', {
      cpaCode: 99,
      referredOn: '2026-04-01',
      participationMode: ParticipationMode.VOLUNTARY,
      claimant: { nino: 'DA123456A', givenName: '', familyName: 'X', dateOfBirth: '2026-05-01', consentToShareHealth: false },
    });
    const [fate] = judgeSubmission([broken], facts(), { today: TODAY, overLimits: [[tooLong]] });
    expect(codes(fate)).toEqual([
      ErrorCode.TOO_LONG,
      ErrorCode.CLIENT_REFERENCE_REQUIRED,
      ErrorCode.REFERRED_ON_IN_FUTURE,
      ErrorCode.PARTICIPATION_MODE_NOT_ALLOWED,
      ErrorCode.INVALID_NINO,
      ErrorCode.NAME_REQUIRED,
      ErrorCode.INVALID_DATE_OF_BIRTH,
      ErrorCode.UNKNOWN_CPA,
    ]);
  });

  it('answers a clientReference submitted before with that referral, whatever the item holds now', () => {
    const [fate] = judgeSubmission([referral('A-1', 'DA123456A')], facts({ submitted: new Map([['A-1', 'ref-1']]) }), { today: TODAY });
    expect(fate).toEqual({ fate: 'submittedBefore', referralId: 'ref-1' });
  });

  it('answers a clientReference repeated in the batch as its first accepted item', () => {
    const fates = judgeSubmission([referral(' A-1 '), referral('A-1', 'CE000000D')], facts(), { today: TODAY, draw: drawAt(0) });
    expect(fates.map((f) => f.fate)).toEqual(['accepted', 'repeats']);
    expect(fates[1]).toEqual({ fate: 'repeats', index: 0 });
  });

  it('judges a repeat of a refused item again, on its own', () => {
    const fates = judgeSubmission([referral('A-1', 'DA123456A'), referral('A-1')], facts(), { today: TODAY, draw: drawAt(0) });
    expect(fates.map((f) => f.fate)).toEqual(['refused', 'accepted']);
  });

  it('refuses a person with a live referral, including one accepted earlier in the same batch', () => {
    const live = new Map([['JG103759A', { contractId: 'north', cpaId: 'cpa-1', jobcentreId: 'jcp', partnered: false }]]);
    const known = facts({ live });
    const fates = judgeSubmission([referral('A-1', 'jg 10 37 59 a'), referral('A-2'), referral('A-3', 'AB123456C')], known, {
      today: TODAY,
      draw: drawAt(0),
    });
    expect(fates.map(codes)).toEqual([[ErrorCode.LIVE_REFERRAL_EXISTS], [], [ErrorCode.LIVE_REFERRAL_EXISTS]]);
    expect(known.live.size).toBe(1); // the facts are read, never changed
  });

  it("sends a joint claim to its partner's contract, without a draw", () => {
    const live = new Map([['JG103759A', { contractId: 'south', cpaId: 'cpa-1', jobcentreId: 'jcp', partnered: false }]]);
    const [fate] = judgeSubmission([referral('A-1', 'AB123456C', { jointClaimantNino: 'JG103759A', jointClaimReason: 'Couple' })], facts({ live }), { today: TODAY, draw: drawAt(0) });
    expect(fate).toEqual({
      fate: 'accepted',
      accepted: expect.objectContaining({ contractId: 'south', method: AllocationMethod.JOINT_CLAIM, draw: null, shares: null }),
    });
  });

  it('refuses a joint claim whose partner has no live referral, or one in another CPA, or is the claimant', () => {
    const live = new Map([['ZY999999B', { contractId: 'west', cpaId: 'cpa-2', jobcentreId: 'jcp', partnered: false }]]);
    const fates = judgeSubmission(
      [
        referral('A-1', 'AB123456C', { jointClaimantNino: 'JG103759A', jointClaimReason: 'Couple' }),
        referral('A-2', 'CE000000D', { jointClaimantNino: 'ZY999999B', jointClaimReason: 'Couple' }),
        referral('A-3', 'JG103759A', { jointClaimantNino: 'jg103759a', jointClaimReason: 'Couple' }),
      ],
      facts({ live }),
      { today: TODAY },
    );
    expect(fates.map(codes)).toEqual([[ErrorCode.JOINT_CLAIMANT_NOT_REFERRED], [ErrorCode.JOINT_CLAIMANT_IN_OTHER_CPA], [ErrorCode.JOINT_CLAIMANT_IS_CLAIMANT]]);
  });

  it('refuses a referral outside its group (age band, nation) or its Jobcentre\'s CPA, with every code, and draws nothing (eligibility.ts)', () => {
    const young = referral('E-1', 'AB123456C', { paymentGroup: PaymentGroup.JSA_18_24 });
    const ibisInScotland = referral('E-2', 'AB123457C', { cpaCode: 2, paymentGroup: PaymentGroup.IB_IS, participationMode: ParticipationMode.VOLUNTARY });
    const fates = judgeSubmission([young, ibisInScotland], facts({ jobcentreCpaId: 'cpa-1' }), { today: TODAY, draw: drawAt(0) });
    expect(fates.map(codes)).toEqual([['AGE_OUTSIDE_GROUP'], ['GROUP_NOT_AVAILABLE_IN_CPA', 'CPA_NOT_SERVED']]);
  });

  it('refuses a joint claim without a reason, with another Jobcentre\'s claimant, or with a partner who has one', () => {
    const live = new Map([
      ['JG103759A', { contractId: 'south', cpaId: 'cpa-1', jobcentreId: 'jcp', partnered: false }],
      ['ZY999999B', { contractId: 'south', cpaId: 'cpa-1', jobcentreId: 'other-jcp', partnered: false }],
      ['CE000000D', { contractId: 'south', cpaId: 'cpa-1', jobcentreId: 'jcp', partnered: true }],
    ]);
    const joint = (reference: string, nino: string, partner: string, jointClaimReason: string | null = 'Couple') =>
      referral(reference, nino, { jointClaimantNino: partner, jointClaimReason });
    const fates = judgeSubmission(
      [
        joint('A-1', 'AB123456C', 'JG103759A', '  '),
        joint('A-2', 'AB123457D', 'ZY999999B'),
        joint('A-3', 'AB123458A', 'CE000000D'),
        joint('A-4', 'AB123459B', 'JG103759A'),
        // One partner each: the claim before took this partner.
        joint('A-5', 'AB123450A', 'JG103759A'),
      ],
      facts({ live }),
      { today: TODAY },
    );
    expect(fates.map(codes)).toEqual([
      [ErrorCode.JOINT_CLAIM_REASON_REQUIRED],
      [ErrorCode.JOINT_CLAIMANT_NOT_REFERRED],
      [ErrorCode.JOINT_CLAIMANT_HAS_PARTNER],
      [],
      [ErrorCode.JOINT_CLAIMANT_HAS_PARTNER],
    ]);
    expect(live.get('JG103759A')!.partnered).toBe(false); // the facts are read, never changed
  });

  it('refuses a known NINO given with another name or date of birth, and says nothing of its live referral', () => {
    const known = new Map([['JG103759A', { given_name: 'Sam', family_name: 'Example', date_of_birth: '1980-01-01', restricted: false }]]);
    const live = new Map([['JG103759A', { contractId: 'north', cpaId: 'cpa-1', jobcentreId: 'jcp', partnered: false }]]);
    const person = (reference: string, claimant: Partial<ReferralData['claimant']>) => {
      const item = referral(reference, 'JG103759A');
      return { ...item, claimant: { ...item.claimant, ...claimant } };
    };
    const fates = judgeSubmission(
      [
        person('A-1', { givenName: 'Alex', familyName: 'Example', dateOfBirth: '1980-01-01' }),
        person('A-2', { givenName: 'Sam', familyName: 'Example', dateOfBirth: '1981-01-01' }),
        person('A-3', { givenName: ' sam ', familyName: 'EXAMPLE', dateOfBirth: '1980-01-01' }),
      ],
      facts({ known, live }),
      { today: TODAY },
    );
    expect(fates.map(codes)).toEqual([[ErrorCode.IDENTITY_MISMATCH], [ErrorCode.IDENTITY_MISMATCH], [ErrorCode.LIVE_REFERRAL_EXISTS]]);
  });

  it('refuses a referral when no contract is in force on its date, or none has a share of its payment group', () => {
    const fates = judgeSubmission(
      [referral('A-1', 'AB123456C', { referredOn: '2024-06-01' }), referral('A-2', 'CE000000D', { paymentGroup: PaymentGroup.JSA_18_24, claimant: { ...referral('A-2').claimant, nino: 'CE000000D', dateOfBirth: '2005-05-06' } })],
      facts(),
      { today: TODAY },
    );
    expect(fates.map(codes)).toEqual([[ErrorCode.NO_CONTRACT_IN_FORCE], [ErrorCode.NO_CONTRACT_IN_FORCE]]);
    expect(fates.map((f) => (f.fate === 'refused' ? f.userErrors[0].field : null))).toEqual([['referredOn'], ['paymentGroup']]);
  });
});

describe('returning to a contract (returns.ts)', () => {
  const participation = { referralId: 'r1', contractId: 'south', jobcentreId: 'jcp', allottedUntil: '2027-01-01', exitReason: null, live: true, referralAfterCompletion: false };

  it('reopens a live participation off benefit on its own referral, outside the draw, once per batch', () => {
    const live = new Map([['AB123456C', { contractId: 'south', cpaId: 'cpa-1', jobcentreId: 'jcp', partnered: false }]]);
    const fates = judgeSubmission([referral('R1'), referral('R2')], facts({ live, history: new Map([['AB123456C', { participation, withdrawal: null }]]) }), {
      today: TODAY,
      draw: drawAt(0),
    });
    expect(fates[0]).toMatchObject({ fate: 'accepted', accepted: { contractId: 'south', method: AllocationMethod.RETURNING, draw: null, reopens: 'r1' } });
    expect(codes(fates[1])).toEqual([ErrorCode.LIVE_REFERRAL_EXISTS]);
  });

  it('sends a person withdrawn lately to the same contract as a new referral', () => {
    const withdrawal = { contractId: 'south', withdrawnOn: '2026-02-01', returnAfterWithdrawalDays: 90 };
    const [fate] = judgeSubmission([referral('R1')], facts({ history: new Map([['AB123456C', { participation: null, withdrawal }]]) }), { today: TODAY, draw: drawAt(0) });
    expect(fate).toMatchObject({ fate: 'accepted', accepted: { contractId: 'south', method: AllocationMethod.RETURNING, reopens: null } });
  });
});
