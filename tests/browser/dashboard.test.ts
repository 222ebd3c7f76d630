import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { Nation, PAYMENT_GROUPS, PaymentGroup } from '../../src/modules/contracts/contracts.enums';
import { awardPrimeContract, createCpa, setMarketShares } from '../../src/modules/contracts/contracts.service';
import type { PrimeContract } from '../../src/modules/contracts/prime-contract.entity';
import { Role } from '../../src/auth/access.enums';
import { bornFor, nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * The analysts' dashboard in headless Chromium (Debian's, driven by playwright-core): every number
 * the chart and the tables show is the one the API gives for the same query, suppressed counts
 * show as suppressed, and the page talks to nobody but the server that served it.
 */
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-dev-shm-usage'];
const CPA = 71;
const FROM = '2024-01-01';
const TO = '2024-12-31';

interface Row {
  prime: { id: string; name: string } | null;
  paymentGroup: string | null;
  referrals: number | null;
  jobOutcomes: number | null;
  jobOutcomeRate: number | null;
  suppressed: boolean;
}

interface Check {
  randomReferrals: number | null;
  degreesOfFreedom: number;
  test: { chiSquare: number; pValue: number } | null;
  suppressed: boolean;
  shares: Array<{ contract: { id: string; reference: string; prime: { name: string } }; expectedShare: number; randomShare: number | null; randomReferrals: number | null }>;
}

const PERFORMANCE = `query($cpaCode: Int!, $from: Date!, $to: Date!) {
  cpaPerformance(cpaCode: $cpaCode, from: $from, to: $to, groupBy: [PRIME, PAYMENT_GROUP]) {
    rows { prime { id name } paymentGroup referrals jobOutcomes jobOutcomeRate suppressed }
  }
}`;
const ALLOCATION = `query($cpaCode: Int!, $from: Date!, $to: Date!, $paymentGroup: PaymentGroup) {
  allocationCheck(cpaCode: $cpaCode, from: $from, to: $to, paymentGroup: $paymentGroup) {
    randomReferrals degreesOfFreedom test { chiSquare pValue } suppressed
    shares { contract { id reference prime { name } } expectedShare randomShare randomReferrals }
  }
}`;

/** What the page shows for a count, a rate or a share: the formatting the analysts read. */
const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

let t: TestServer;
let origin: string;
let analyst: string;
let jobcentre: string;
let browser: Browser;

// ------------------------------------------------------------------ the data

/**
 * CPA 71: prime Alpha takes every JSA 18–24 referral, prime Beta every new ESA claimant, and
 * JSA 25+ is drawn 50/50. Alpha's JSA 18–24 cohort is large with many job outcomes; Beta's
 * new ESA cohort is three people, under any disclosure threshold.
 */
async function createData(): Promise<void> {
  const db = t.db.dataSource;
  await createCpa(db, { code: CPA, name: 'Dashboard Vale', nation: Nation.ENGLAND });
  const contracts: PrimeContract[] = [];
  const primeKeys = new Map<string, string>();
  for (const name of ['Alpha Employment', 'Beta Futures']) {
    const prime = await t.keyFor(Role.PROVIDER, `${name} ${CPA}`);
    const contract = await awardPrimeContract(db, {
      cpaCode: CPA,
      primeId: prime.organisationId,
      reference: `DASH-${name.split(' ')[0].toUpperCase()}`,
      startsOn: '2020-04-01',
      endsOn: '2030-03-31',
    });
    contracts.push(contract);
    primeKeys.set(contract.id, prime.secret);
  }
  const sharesOf: Partial<Record<PaymentGroup, number[]>> = {
    [PaymentGroup.JSA_18_24]: [10000, 0],
    [PaymentGroup.ESA_NEW_CLAIMANT]: [0, 10000],
  };
  for (const paymentGroup of PAYMENT_GROUPS) {
    const shares = sharesOf[paymentGroup] ?? [5000, 5000];
    await setMarketShares(db, {
      cpaCode: CPA,
      paymentGroup,
      effectiveFrom: '2020-04-01',
      shares: contracts.map((contract, i) => ({ contractId: contract.id, shareBasisPoints: shares[i] })),
    });
  }

  // [payment group, participation mode, referrals, of which job outcomes, job start, claim date]
  const cohorts: Array<[PaymentGroup, string, number, number, string, string]> = [
    [PaymentGroup.JSA_18_24, 'MANDATORY', 30, 12, '2024-04-01', '2024-12-02'], // 26 weeks
    [PaymentGroup.JSA_25_PLUS, 'MANDATORY', 24, 8, '2024-04-01', '2024-12-02'],
    [PaymentGroup.ESA_NEW_CLAIMANT, 'VOLUNTARY', 3, 1, '2024-04-01', '2024-08-01'], // 13 weeks
  ];
  let n = 0;
  const referrals = cohorts.flatMap(([paymentGroup, participationMode, count]) =>
    Array.from({ length: count }, () => {
      n += 1;
      return {
        clientReference: `DASH-${n}`,
        cpaCode: CPA,
        jobcentreDistrict: 'Dashboard',
        paymentGroup,
        participationMode,
        referredOn: '2024-03-01',
        claimant: { nino: nino(n, 'WP'), givenName: 'Test', familyName: `Person ${n}`, dateOfBirth: bornFor(paymentGroup, '2024-03-01'), consentToShareHealth: false },
      };
    }),
  );
  type Result = { created: boolean; referral: { id: string; allocation: { contract: { id: string } } } | null; userErrors: Array<{ code: string }> };
  const submitted = await t.gql<{ submitReferrals: { results: Result[] } }>(
    `mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) {
      results { created referral { id allocation { contract { id } } } userErrors { code } } } }`,
    { input: { referrals } },
    jobcentre,
  );
  expect(submitted.errors).toBeUndefined();
  const results = submitted.data!.submitReferrals.results;
  expect(results.filter((r) => !r.created)).toEqual([]);

  const move = async (mutation: string, input: Record<string, unknown>, key: string) => {
    const response = await t.gql<Record<string, { userErrors: Array<{ code: string; message: string }> }>>(
      `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { userErrors { code message } } }`,
      { input },
      key,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data![mutation].userErrors).toEqual([]);
  };
  let index = 0;
  for (const [, , count, outcomes, startedOn, claimedOn] of cohorts) {
    for (let i = 0; i < count; i++) {
      const referral = results[index++].referral!;
      const key = primeKeys.get(referral.allocation.contract.id)!;
      await move('acknowledgeReferral', { referralId: referral.id }, key);
      await move('recordAttachment', { referralId: referral.id, attachedOn: '2024-03-05' }, key);
      if (i < outcomes) {
        await move('recordJobStart', { referralId: referral.id, startedOn }, key);
        await move('claimJobOutcome', { referralId: referral.id, claimedOn }, key);
      }
    }
  }
}

// ------------------------------------------------------------------ the browser

async function openDashboard(): Promise<{ context: BrowserContext; page: Page; requests: string[]; problems: string[] }> {
  const context = await browser.newContext();
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused script, style or connection (the CSP) or a script error shows up here.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  const response = await page.goto(`${origin}/dashboard`);
  expect(response!.status()).toBe(200);
  return { context, page, requests, problems };
}

async function connect(page: Page, key: string): Promise<void> {
  await page.fill('#api-key', key);
  await page.click('#connect');
}

async function showReport(page: Page): Promise<void> {
  await page.selectOption('#cpa', String(CPA));
  await page.fill('#from', FROM);
  await page.fill('#to', TO);
  await page.click('#show');
  await page.waitForSelector('#results[data-state="ready"], #results[data-state="error"]', { state: 'attached' });
}

const attr = async (page: Page, selector: string, name: string) => page.locator(selector).getAttribute(name);
const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

/** The page shows `check` exactly: each figure formatted, each withheld one (null) as suppressed. */
async function expectAllocation(page: Page, check: Check): Promise<void> {
  const expectFigure = async (selector: string, value: number | null, formatted: (value: number) => string) => {
    expect(await attr(page, selector, 'data-suppressed')).toBe(String(value === null));
    if (value === null) {
      expect(await attr(page, selector, 'data-value')).toBe('');
      expect(await text(page, selector)).toBe('– suppressed');
    } else {
      expect(Number(await attr(page, selector, 'data-value'))).toBe(value);
      expect(await text(page, selector)).toBe(formatted(value));
    }
  };
  const dd = (field: string) => `#allocation-summary dd[data-field="${field}"]`;
  await expectFigure(dd('referrals'), check.randomReferrals, (v) => integer.format(v));
  await expectFigure(dd('chiSquare'), check.test?.chiSquare ?? null, (v) => v.toFixed(3));
  await expectFigure(dd('degreesOfFreedom'), check.degreesOfFreedom, String);
  await expectFigure(dd('pValue'), check.test?.pValue ?? null, (v) => (v !== 0 && v < 0.0001 ? v.toExponential(2) : v.toFixed(4)));
  expect(await page.locator('#allocation-table tbody tr').count()).toBe(check.shares.length);
  for (const share of check.shares) {
    const tr = `#allocation-table tbody tr[data-contract-id="${share.contract.id}"]`;
    expect(await text(page, `${tr} [data-field="prime"]`)).toBe(share.contract.prime.name);
    expect(await text(page, `${tr} [data-field="reference"]`)).toBe(share.contract.reference);
    await expectFigure(`${tr} [data-field="expectedShare"]`, share.expectedShare, percent);
    await expectFigure(`${tr} [data-field="observedShare"]`, share.randomShare, percent);
    await expectFigure(`${tr} [data-field="referrals"]`, share.randomReferrals, (v) => integer.format(v));
  }
}

beforeAll(async () => {
  t = await startTestServer();
  origin = new URL(t.url).origin;
  analyst = (await t.keyFor(Role.ANALYST)).secret;
  jobcentre = (await t.keyFor(Role.JOBCENTRE)).secret;
  await createData();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the dashboard page', () => {
  it('is served from this server with a self-only Content-Security-Policy', async () => {
    const response = await fetch(`${origin}/dashboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<script>|<style>|\sstyle=|\son\w+=/);
    for (const asset of ['/dashboard/dashboard.js', '/dashboard/dashboard.css']) {
      const res = await fetch(`${origin}${asset}`);
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(500);
    }
  });
});

describe('an analyst', () => {
  let session: Awaited<ReturnType<typeof openDashboard>>;
  let rows: Row[];
  let check: Check;

  beforeAll(async () => {
    session = await openDashboard();
    const { page } = session;
    await connect(page, analyst);
    await page.waitForSelector(`#cpa option[value="${CPA}"]`, { state: 'attached' });
    await showReport(page);
    expect(await text(page, '#error')).toBe('');
    expect(await attr(page, '#results', 'data-state')).toBe('ready');

    const performance = await t.gql<{ cpaPerformance: { rows: Row[] } }>(PERFORMANCE, { cpaCode: CPA, from: FROM, to: TO }, analyst);
    expect(performance.errors).toBeUndefined();
    rows = performance.data!.cpaPerformance.rows;
    const allocation = await t.gql<{ allocationCheck: Check }>(ALLOCATION, { cpaCode: CPA, from: FROM, to: TO }, analyst);
    expect(allocation.errors).toBeUndefined();
    check = allocation.data!.allocationCheck;
  }, 120000);

  afterAll(() => session?.context.close());

  it('has data with both shown and suppressed figures to compare', () => {
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.some((row) => !row.suppressed && typeof row.jobOutcomeRate === 'number' && row.jobOutcomeRate > 0)).toBe(true);
    expect(rows.some((row) => row.suppressed && row.jobOutcomeRate === null)).toBe(true);
  });

  it('keeps the key in session storage only, never in the URL', async () => {
    const { page } = session;
    expect(page.url()).toBe(`${origin}/dashboard`);
    expect(await page.evaluate('sessionStorage.getItem("scx.dashboard.apiKey")')).toBe(analyst);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await attr(page, '#api-key', 'type')).toBe('password');
    expect(await text(page, '#viewer')).toContain('ANALYST');
    expect(session.requests.some((url) => url.includes(analyst))).toBe(false);
  });

  it('shows in the table exactly what the API gives, suppressed values as suppressed', async () => {
    const { page } = session;
    expect(await page.locator('#performance-table tbody tr').count()).toBe(rows.length);
    for (const row of rows) {
      const tr = `#performance-table tbody tr[data-prime-id="${row.prime!.id}"][data-payment-group="${row.paymentGroup}"]`;
      expect(await page.locator(tr).count()).toBe(1);
      expect(await text(page, `${tr} [data-field="prime"]`)).toBe(row.prime!.name);
      expect(await attr(page, tr, 'data-suppressed')).toBe(String(row.suppressed));
      expect(await text(page, `${tr} [data-field="suppressed"]`)).toBe(row.suppressed ? 'yes' : 'no');
      for (const field of ['referrals', 'jobOutcomes', 'jobOutcomeRate'] as const) {
        const cell = `${tr} [data-field="${field}"]`;
        const value = row[field];
        if (value === null) {
          expect(row.suppressed).toBe(true);
          expect(await attr(page, cell, 'data-suppressed')).toBe('true');
          expect(await attr(page, cell, 'data-value')).toBe('');
          expect(await text(page, cell)).toBe('– suppressed');
        } else {
          expect(Number(await attr(page, cell, 'data-value'))).toBe(value);
          expect(await text(page, cell)).toBe(field === 'jobOutcomeRate' ? percent(value) : integer.format(value));
        }
      }
    }
  });

  it('draws one bar per prime and payment group, at the API rate, and none for a suppressed rate', async () => {
    const { page } = session;
    const yMax = Number(await attr(page, '#outcome-chart', 'data-y-max'));
    const plotHeight = Number(await attr(page, '#outcome-chart', 'data-plot-height'));
    expect(await page.locator('#outcome-chart rect.bar').count()).toBe(rows.length);
    for (const row of rows) {
      const bar = `#outcome-chart rect.bar[data-prime-id="${row.prime!.id}"][data-payment-group="${row.paymentGroup}"]`;
      expect(await page.locator(bar).count()).toBe(1);
      expect(await attr(page, bar, 'data-suppressed')).toBe(String(row.suppressed));
      expect(await attr(page, bar, 'data-referrals')).toBe(row.referrals === null ? '' : String(row.referrals));
      expect(await attr(page, bar, 'data-job-outcomes')).toBe(row.jobOutcomes === null ? '' : String(row.jobOutcomes));
      const label = (await attr(page, bar, 'aria-label'))!;
      if (row.jobOutcomeRate === null) {
        expect(await attr(page, bar, 'data-job-outcome-rate')).toBe('');
        expect(Number(await attr(page, bar, 'height'))).toBe(0);
        expect(label).toMatch(/suppressed$/);
      } else {
        expect(Number(await attr(page, bar, 'data-job-outcome-rate'))).toBe(row.jobOutcomeRate);
        expect(Number(await attr(page, bar, 'height'))).toBeCloseTo((row.jobOutcomeRate / yMax) * plotHeight, 6);
        expect(label).toContain(percent(row.jobOutcomeRate));
      }
    }
    expect(await page.locator('.legend li[data-prime-id]').count()).toBe(new Set(rows.map((row) => row.prime!.id)).size);
  });

  it('shows the allocation check the API gives', async () => {
    expect(check.randomReferrals).toBe(57);
    expect(check.suppressed).toBe(false);
    expect(check.shares).toHaveLength(2);
    await expectAllocation(session.page, check);
  });

  it('shows a check with withheld counts as withheld, never as 0', async () => {
    const { page } = session;
    // New ESA claimants: three referrals, under the disclosure threshold.
    await page.selectOption('#allocation-group', 'ESA_NEW_CLAIMANT');
    await showReport(page);
    expect(await attr(page, '#results', 'data-state')).toBe('ready');
    const withheld = (await t.gql<{ allocationCheck: Check }>(ALLOCATION, { cpaCode: CPA, from: FROM, to: TO, paymentGroup: 'ESA_NEW_CLAIMANT' }, analyst)).data!
      .allocationCheck;
    expect(withheld).toMatchObject({ randomReferrals: null, test: null, suppressed: true });
    await expectAllocation(page, withheld);
    for (const field of ['referrals', 'chiSquare', 'pValue']) {
      expect(await text(page, `#allocation-summary dd[data-field="${field}"]`)).toBe('– suppressed');
    }
    await page.selectOption('#allocation-group', '');
    await showReport(page);
  });
  it('made no request to any host but the server, and broke no rule of its CSP', () => {
    expect(session.requests.length).toBeGreaterThanOrEqual(5);
    for (const url of session.requests) expect(new URL(url).origin).toBe(origin);
    expect(session.requests).toEqual(
      expect.arrayContaining([`${origin}/dashboard`, `${origin}/dashboard/dashboard.js`, `${origin}/dashboard/dashboard.css`, `${origin}/graphql`]),
    );
    expect(session.problems).toEqual([]);
  });

  it('forgets the key on request', async () => {
    const { page } = session;
    await page.click('#forget');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.inputValue('#api-key')).toBe('');
    expect(await page.locator('#cpa').isDisabled()).toBe(true);
  });
});

describe('a key the API refuses', () => {
  it('UNAUTHENTICATED: an unknown key is named as such, and not kept', async () => {
    const { context, page, requests } = await openDashboard();
    await connect(page, 'scx_this_is_not_a_key_at_all');
    await page.waitForSelector('#error:not([hidden])');
    expect(await attr(page, '#error', 'data-code')).toContain('UNAUTHENTICATED');
    expect(await text(page, '#error')).toContain('does not recognise this key');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.locator('#cpa').isDisabled()).toBe(true);
    for (const url of requests) expect(new URL(url).origin).toBe(origin);
    await context.close();
  });

  it('FORBIDDEN: a Jobcentre key reads the CPAs but not the figures', async () => {
    const { context, page } = await openDashboard();
    await connect(page, jobcentre);
    await page.waitForSelector(`#cpa option[value="${CPA}"]`, { state: 'attached' });
    await showReport(page);
    expect(await attr(page, '#results', 'data-state')).toBe('error');
    expect(await attr(page, '#error', 'data-code')).toContain('FORBIDDEN');
    expect(await text(page, '#error')).toContain('may not read these figures');
    expect(await page.locator('#performance').isHidden()).toBe(true);
    expect(await page.locator('#allocation').isHidden()).toBe(true);
    await context.close();
  });
});
