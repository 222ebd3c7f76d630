import { queryCounter } from '../../src/db/data-source';
import { Role } from '../../src/auth/access.enums';
import { cohortPerformance } from '../../src/modules/performance/performance.service';
import { buildScxSchema } from '../../src/server/schema';
import { type Member, type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/*
 * A hand-built cohort in CPA 45, referred 2021-01-01..2021-04-30. Contracts run from 2020-04-01:
 * attachments before 2021-04-01 earn year 1's £400, after it year 2's £300 (JSA groups).
 *   a1 JSA 25+  North 2021-01-10 prime A, attached (£400), with end-to-end; outcome (£1,200) + 1 sustainment (£215)
 *   a2 JSA 25+  North 2021-01-11 prime A, attached (£400), with end-to-end; a doubt submitted, sanction applied
 *   a3 JSA 25+  South 2021-02-05 prime A, attached (£400)
 *   a4 JSA 18-24 South 2021-03-01 prime A, not attached
 *   b1 JSA 25+  North 2021-02-10 prime B, attached (£400); outcome (£1,200)
 *   b2 JSA 18-24 North 2021-04-02 prime B, attached (£300)
 *   x1 JSA 25+  North 2020-12-31 prime A, attached, outcome: outside the cohort
 */
let t: TestServer;
let c: TestChain;
const FROM = '2021-01-01';
const TO = '2021-04-30';

async function outcome(referralId: string, startedOn: string, claimedOn: string, prime: Member): Promise<void> {
  await Journey.of(t, c, referralId, prime).job({ startedOn });
  const claimed = await t.gql<{ claimJobOutcome: { userErrors: unknown[] } }>(
    `mutation($input: ClaimJobOutcomeInput!) { claimJobOutcome(input: $input) { userErrors { code } } }`,
    { input: { referralId, claimedOn } },
    prime.key,
  );
  expect(claimed.data!.claimJobOutcome.userErrors).toEqual([]);
}

async function handToEndToEnd(referralId: string): Promise<void> {
  await Journey.of(t, c, referralId).handOn(c.endToEnd);
}

beforeAll(async () => {
  // Threshold 1: nothing withheld, so every figure can be checked; suppression is tested below.
  t = await startTestServer({ disclosureThreshold: 1 });
  c = await createChain(t, 45);
  const group = (paymentGroup: string, referredOn: string, attachedOn: string | null, district: string, toOtherPrime = false) =>
    attachedReferral(t, c, { paymentGroup, referredOn, attachedOn, district, toOtherPrime });
  const a1 = await group('JSA_25_PLUS', '2021-01-10', '2021-01-15', 'North');
  const a2 = await group('JSA_25_PLUS', '2021-01-11', '2021-01-20', 'North');
  await group('JSA_25_PLUS', '2021-02-05', '2021-02-10', 'South');
  await group('JSA_18_24', '2021-03-01', null, 'South');
  const b1 = await group('JSA_25_PLUS', '2021-02-10', '2021-02-15', 'North', true);
  await group('JSA_18_24', '2021-04-02', '2021-04-10', 'North', true);
  const x1 = await group('JSA_25_PLUS', '2020-12-31', '2021-01-05', 'North');
  await handToEndToEnd(a1);
  await handToEndToEnd(a2);
  // 2021-02-01 + 181 days = 2021-08-01, the 182nd day in work.
  await outcome(a1, '2021-02-01', '2021-08-01', c.prime);
  const sustained = await t.gql<{ claimSustainment: { userErrors: unknown[] } }>(
    `mutation { claimSustainment(input: { referralId: "${a1}", periodEndsOn: "2021-08-29" }) { userErrors { code } } }`,
    {},
    c.prime.key,
  );
  expect(sustained.data!.claimSustainment.userErrors).toEqual([]);
  await outcome(b1, '2021-03-01', '2021-08-29', c.otherPrime);
  await outcome(x1, '2021-01-06', '2021-07-06', c.prime);
  const decisionMaker = await t.keyFor(Role.DECISION_MAKER, 'Decision Makers 45');
  const raised = await t.gql<{ raiseComplianceDoubt: { complianceDoubt: { id: string } } }>(
    `mutation($input: RaiseComplianceDoubtInput!) { raiseComplianceDoubt(input: $input) { complianceDoubt { id } userErrors { code } } }`,
    { input: { referralId: a2, type: 'ENTITLEMENT_DOUBT', occurredOn: '2021-03-01', description: 'Not available for work' } },
    c.prime.key,
  );
  await t.gql(
    `mutation($id: ID!) { decideComplianceDoubt(input: { complianceDoubtId: $id, outcome: SANCTION_APPLIED, reason: "No good reason" }) { userErrors { code } } }`,
    { id: raised.data!.raiseComplianceDoubt.complianceDoubt.id },
    decisionMaker.secret,
  );
});
afterAll(() => t.close());

const FIGURES = 'referrals attachments jobOutcomes sustainmentPayments complianceDoubts sanctionsApplied attachmentRate jobOutcomeRate paymentsPence paidPence suppressed';
const GROUPS = 'cpa { code } prime { id } paymentGroup subcontractor { id } jobcentreDistrict referralMonth';

interface Row { [key: string]: unknown }
async function report(groupBy: string[] | null, key = c.analyst.key, cpaCode: number | null = 45): Promise<Row[]> {
  const args = `from: "${FROM}", to: "${TO}"${groupBy ? `, groupBy: [${groupBy.join(', ')}]` : ''}`;
  const query = cpaCode === null
    ? `{ report: nationalPerformance(${args}) { rows { ${GROUPS} ${FIGURES} } } }`
    : `{ report: cpaPerformance(cpaCode: ${cpaCode}, ${args}) { rows { ${GROUPS} ${FIGURES} } } }`;
  const response = await t.gql<{ report: { rows: Row[] } }>(query, {}, key);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.report.rows;
}

/** Figures as the report gives them; rates from the counts. */
const figures = (referrals: number, attachments: number, jobOutcomes: number, sustainmentPayments: number, doubts: number, sanctions: number, paymentsPence: number) => ({
  referrals, attachments, jobOutcomes, sustainmentPayments, complianceDoubts: doubts, sanctionsApplied: sanctions,
  attachmentRate: attachments / referrals, jobOutcomeRate: jobOutcomes / referrals, paymentsPence, paidPence: String(paymentsPence), suppressed: false,
});
const none = { cpa: null, prime: null, paymentGroup: null, subcontractor: null, jobcentreDistrict: null, referralMonth: null };

describe('performance of a hand-built cohort, by each dimension', () => {
  it('the whole cohort: six referrals, the one before the period left out', async () => {
    expect(await report(null)).toEqual([{ ...none, ...figures(6, 5, 2, 1, 1, 1, 4 * 40000 + 30000 + 2 * 120000 + 21500) }]);
  });

  it('by CPA (national)', async () => {
    expect(await report(['CPA'], c.analyst.key, null)).toEqual([{ ...none, cpa: { code: 45 }, ...figures(6, 5, 2, 1, 1, 1, 451500) }]);
  });

  it('by PRIME', async () => {
    expect(await report(['PRIME'])).toEqual([
      { ...none, prime: { id: c.prime.id }, ...figures(4, 3, 1, 1, 1, 1, 3 * 40000 + 120000 + 21500) },
      { ...none, prime: { id: c.otherPrime.id }, ...figures(2, 2, 1, 0, 0, 0, 40000 + 30000 + 120000) },
    ]);
  });

  it('by PAYMENT_GROUP', async () => {
    expect(await report(['PAYMENT_GROUP'])).toEqual([
      { ...none, paymentGroup: 'JSA_18_24', ...figures(2, 1, 0, 0, 0, 0, 30000) },
      { ...none, paymentGroup: 'JSA_25_PLUS', ...figures(4, 4, 2, 1, 1, 1, 4 * 40000 + 2 * 120000 + 21500) },
    ]);
  });

  it('by SUBCONTRACTOR: the first end-to-end subcontractor to accept; none where the prime delivers', async () => {
    expect(await report(['SUBCONTRACTOR'])).toEqual([
      { ...none, ...figures(4, 3, 1, 0, 0, 0, 40000 + 40000 + 30000 + 120000) },
      { ...none, subcontractor: { id: c.endToEnd.id }, ...figures(2, 2, 1, 1, 1, 1, 2 * 40000 + 120000 + 21500) },
    ]);
  });

  it('by JOBCENTRE_DISTRICT', async () => {
    expect(await report(['JOBCENTRE_DISTRICT'])).toEqual([
      { ...none, jobcentreDistrict: 'North', ...figures(4, 4, 2, 1, 1, 1, 3 * 40000 + 30000 + 2 * 120000 + 21500) },
      { ...none, jobcentreDistrict: 'South', ...figures(2, 1, 0, 0, 0, 0, 40000) },
    ]);
  });

  it('by REFERRAL_MONTH', async () => {
    expect(await report(['REFERRAL_MONTH'])).toEqual([
      { ...none, referralMonth: '2021-01', ...figures(2, 2, 1, 1, 1, 1, 2 * 40000 + 120000 + 21500) },
      { ...none, referralMonth: '2021-02', ...figures(2, 2, 1, 0, 0, 0, 2 * 40000 + 120000) },
      { ...none, referralMonth: '2021-03', ...figures(1, 0, 0, 0, 0, 0, 0) },
      { ...none, referralMonth: '2021-04', ...figures(1, 1, 0, 0, 0, 0, 30000) },
    ]);
  });

  it('by PRIME and PAYMENT_GROUP together', async () => {
    expect(await report(['PRIME', 'PAYMENT_GROUP'])).toEqual([
      { ...none, prime: { id: c.prime.id }, paymentGroup: 'JSA_18_24', ...figures(1, 0, 0, 0, 0, 0, 0) },
      { ...none, prime: { id: c.prime.id }, paymentGroup: 'JSA_25_PLUS', ...figures(3, 3, 1, 1, 1, 1, 3 * 40000 + 120000 + 21500) },
      { ...none, prime: { id: c.otherPrime.id }, paymentGroup: 'JSA_18_24', ...figures(1, 1, 0, 0, 0, 0, 30000) },
      { ...none, prime: { id: c.otherPrime.id }, paymentGroup: 'JSA_25_PLUS', ...figures(1, 1, 1, 0, 0, 0, 40000 + 120000) },
    ]);
  });

  it('agrees with the same aggregate written over the base tables', async () => {
    const [base] = await t.db.dataSource.query(
      `SELECT count(*)::int AS referrals, count(r.attached_on)::int AS attachments,
         (SELECT count(*)::int FROM payment p JOIN referral r2 ON r2.id = p.referral_id WHERE p.kind = 'JOB_OUTCOME' AND r2.referred_on BETWEEN $1 AND $2) AS outcomes,
         (SELECT sum(amount_pence)::int FROM payment p JOIN referral r2 ON r2.id = p.referral_id WHERE r2.referred_on BETWEEN $1 AND $2) AS paid
       FROM referral r WHERE r.referred_on BETWEEN $1 AND $2`,
      [FROM, TO],
    );
    const [row] = await report(null);
    expect([row.referrals, row.attachments, row.jobOutcomes, row.paidPence]).toEqual([base.referrals, base.attachments, base.outcomes, String(base.paid)]);
  });
});

describe('SQL statements per report', () => {
  it('one scan for the figures, one batch per kind of name, however many rows', async () => {
    const counter = queryCounter(t.serverDb);
    const before = counter.count;
    const rows = await report(['CPA', 'PRIME', 'SUBCONTRACTOR', 'REFERRAL_MONTH'], c.analyst.key, null);
    expect(rows.length).toBeGreaterThan(3);
    // key lookup, the report, CPAs, organisations (primes and subcontractors in one batch)
    expect(counter.count - before).toBe(4);
  });
});

describe('who reads performance', () => {
  it('a prime reads its own contracts only; a subcontractor nothing; a Jobcentre is FORBIDDEN', async () => {
    expect((await report(['PRIME'], c.prime.key)).map((r) => r.prime)).toEqual([{ id: c.prime.id }]);
    expect((await report(['PRIME'], c.otherPrime.key, null)).map((r) => r.prime)).toEqual([{ id: c.otherPrime.id }]);
    expect(await report(['PRIME'], c.endToEnd.key)).toEqual([]);
    await expect(report(null, c.jobcentre.key)).rejects.toThrow(/FORBIDDEN/);
    await expect(report(null, 'not-a-key')).rejects.toThrow(/UNAUTHENTICATED/);
  });

  it('reports whole months, so that a period a day longer cannot isolate that day', async () => {
    const response = await t.gql<{ cpaPerformance: { from: string; to: string; rows: Row[] } }>(
      `{ cpaPerformance(cpaCode: 45, from: "2021-01-11", to: "2021-04-02") { from to rows { referrals } } }`,
      {},
      c.analyst.key,
    );
    expect(response.data!.cpaPerformance).toEqual({ from: '2021-01-01', to: '2021-04-30', rows: [{ referrals: 6 }] });
  });

  it('a referral moved to another prime leaves the old prime\'s subcontractor behind', async () => {
    const moved = await attachedReferral(t, c, { paymentGroup: 'JSA_25_PLUS', referredOn: '2022-06-10', attachedOn: null, district: 'North' });
    await handToEndToEnd(moved);
    const override = await t.gql<{ overrideAllocation: { userErrors: unknown[] } }>(
      `mutation($id: ID!, $contract: ID!) { overrideAllocation(input: { referralId: $id, contractId: $contract, reason: "Nearer provider" }) { userErrors { code } } }`,
      { id: moved, contract: c.area.contracts[1].id },
      c.jobcentre.key,
    );
    expect(override.data!.overrideAllocation.userErrors).toEqual([]);
    const response = await t.gql<{ cpaPerformance: { rows: Row[] } }>(
      `{ cpaPerformance(cpaCode: 45, from: "2022-06-01", to: "2022-06-30", groupBy: [PRIME, SUBCONTRACTOR]) { rows { prime { id } subcontractor { id } referrals } } }`,
      {},
      c.analyst.key,
    );
    expect(response.data!.cpaPerformance.rows).toEqual([{ prime: { id: c.otherPrime.id }, subcontractor: null, referrals: 1 }]);
  });

  it('refuses a period that ends before it starts, and an unknown CPA', async () => {
    const backwards = await t.gql(`{ cpaPerformance(cpaCode: 45, from: "2021-05-01", to: "2021-01-01") { rows { referrals } } }`, {}, c.analyst.key);
    expect(backwards.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.gql(`{ cpaPerformance(cpaCode: 99, from: "${FROM}", to: "${TO}") { rows { referrals } } }`, {}, c.analyst.key);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('an analyst never reaches a participant: no path from a report to a referral or a person', async () => {
    const schema = await buildScxSchema();
    const reachable = new Set<string>();
    const visit = (name: string): void => {
      if (reachable.has(name)) return;
      reachable.add(name);
      const type = schema.getType(name);
      if (type && 'getFields' in type && !('ofType' in type)) {
        for (const field of Object.values((type as { getFields(): Record<string, { type: unknown }> }).getFields())) {
          let inner = field.type as { ofType?: unknown; name?: string };
          while (inner.ofType) inner = inner.ofType as typeof inner;
          visit(inner.name!);
        }
      }
    };
    visit('PerformanceReport');
    visit('AllocationCheck');
    expect(reachable).toContain('Organisation');
    for (const personal of ['Referral', 'Participant', 'Contact', 'ComplianceDoubt', 'JobStart', 'Payment', 'Handoff']) expect(reachable).not.toContain(personal);
    // The walk does find people where there is a path to them.
    visit('Query');
    expect(reachable).toContain('Participant');
  });
});

describe('suppression', () => {
  it('withholds counts from 1 to threshold-1, the rates over them and the money; zeros stay', async () => {
    const rows = await cohortPerformance(t.db.dataSource, { from: FROM, to: TO, groupBy: [], cpaId: null, primeId: null, disclosureThreshold: 3 });
    expect(rows[0]).toMatchObject({
      referrals: 6, attachments: 5, jobOutcomes: null, sustainmentPayments: null, complianceDoubts: null, sanctionsApplied: null,
      attachmentRate: 5 / 6, jobOutcomeRate: null, paidPence: null, suppressed: true,
    });
    const byPrime = await cohortPerformance(t.db.dataSource, { from: FROM, to: TO, groupBy: [], cpaId: null, primeId: c.otherPrime.id, disclosureThreshold: 3 });
    expect(byPrime[0]).toMatchObject({
      referrals: null, attachments: null, jobOutcomes: null, sustainmentPayments: 0, complianceDoubts: 0, sanctionsApplied: 0,
      attachmentRate: null, jobOutcomeRate: null, paidPence: null, suppressed: true,
    });
  });

  it('through the API at the default threshold of 5', async () => {
    const strict = await startTestServer();
    try {
      const other = await createChain(strict, 46);
      for (let i = 0; i < 5; i += 1) await attachedReferral(strict, other, { paymentGroup: 'JSA_25_PLUS', referredOn: '2021-02-01', attachedOn: '2021-02-02' });
      await attachedReferral(strict, other, { paymentGroup: 'JSA_18_24', referredOn: '2021-02-01', attachedOn: null });
      const response = await strict.gql<{ cpaPerformance: { rows: Row[] } }>(
        `{ cpaPerformance(cpaCode: 46, from: "${FROM}", to: "${TO}", groupBy: [PAYMENT_GROUP]) { rows { paymentGroup ${FIGURES} } } }`,
        {},
        other.analyst.key,
      );
      expect(response.data!.cpaPerformance.rows).toEqual([
        { paymentGroup: 'JSA_18_24', referrals: null, attachments: 0, jobOutcomes: 0, sustainmentPayments: 0, complianceDoubts: 0, sanctionsApplied: 0, attachmentRate: null, jobOutcomeRate: null, paymentsPence: null, paidPence: null, suppressed: true },
        { paymentGroup: 'JSA_25_PLUS', referrals: 5, attachments: 5, jobOutcomes: 0, sustainmentPayments: 0, complianceDoubts: 0, sanctionsApplied: 0, attachmentRate: 1, jobOutcomeRate: 0, paymentsPence: 5 * 40000, paidPence: String(5 * 40000), suppressed: false },
      ]);
    } finally {
      await strict.close();
    }
  });
});

describe('the migration backfill', () => {
  // Last in this file: it takes the outcomes tables down and up again.
  it('files existing referrals as the triggers did: same cell contents, attachments, doubts and sanctions', async () => {
    const facts = `SELECT rp.referral_id, c.contract_id, c.payment_group, c.jobcentre_district, c.subcontractor_id, rp.attached,
        rp.compliance_doubts, rp.sanctions_applied
      FROM referral_performance rp JOIN performance_cell c ON c.id = rp.cell_id ORDER BY rp.referral_id`;
    const db = t.db.dataSource;
    const before = await db.query(facts);
    await db.undoLastMigration();
    await db.runMigrations();
    expect(await db.query(facts)).toEqual(before);
  });
});
