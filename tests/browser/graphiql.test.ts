import { type Browser, type Page, chromium } from 'playwright-core';
import { type TestChain, createChain } from '../helpers/chain';
import { nino } from '../helpers/registry';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * The served GraphiQL in headless Chromium: a subcontractor puts its key in the Headers tab and
 * watches its inbox with an `inboxItemAdded` subscription (over graphql-ws, from our own
 * node_modules); the page talks to nobody but the server that served it.
 */
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-dev-shm-usage'];

let t: TestServer;
let c: TestChain;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  t = await startTestServer();
  origin = new URL(t.url).origin;
  c = await createChain(t, 74);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Sets one of GraphiQL's editors (CodeMirror 5 keeps its instance on its wrapper element). */
async function setEditor(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(`${selector} .CodeMirror`).first().waitFor();
  await page.evaluate(`document.querySelector(${JSON.stringify(`${selector} .CodeMirror`)}).CodeMirror.setValue(${JSON.stringify(value)})`);
}

const response = async (page: Page) => (await page.evaluate("document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()")) as string;
/** Polls with evaluate, as the page's CSP (no 'unsafe-eval') refuses waitForFunction's string predicates. */
async function until(page: Page, what: string, expression: string): Promise<void> {
  for (let tries = 0; !(await page.evaluate(expression)); tries++) {
    if (tries > 500) throw new Error(`never happened: ${what}`);
    await page.waitForTimeout(20);
  }
}
const responseHolds = (page: Page, text: string) =>
  until(page, `the answer shows ${text}`, `(document.querySelector('.graphiql-response')?.textContent ?? '').includes(${JSON.stringify(text)})`);

async function passToSubcontractor(): Promise<string> {
  const submitted = await t.gql<{ submitReferrals: { results: Array<{ referral: { id: string } }> } }>(
    'mutation($input: SubmitReferralsInput!) { submitReferrals(input: $input) { results { referral { id } } } }',
    {
      input: {
        referrals: [{
          clientReference: 'IDE-1', cpaCode: 74, jobcentreDistrict: 'Browsershire', paymentGroup: 'JSA_25_PLUS', participationMode: 'MANDATORY',
          referredOn: '2024-05-01',
          claimant: { nino: nino(1, 'JH'), givenName: 'Ida', familyName: 'Browser', dateOfBirth: '1985-01-01', consentToShareHealth: false },
        }],
      },
    },
    c.jobcentre.key,
  );
  const referralId = submitted.data!.submitReferrals.results[0].referral.id;
  const passed = await t.gql<{ passReferral: { handoff: { id: string } } }>(
    'mutation($input: PassReferralInput!) { passReferral(input: $input) { handoff { id } } }',
    { input: { referralId, toOrganisationId: c.endToEnd.id, purpose: 'END_TO_END_DELIVERY', sharedFields: [] } },
    c.prime.key,
  );
  return passed.data!.passReferral.handoff.id;
}

describe('GraphiQL', () => {
  it("runs a subcontractor's inboxItemAdded subscription with the key from the Headers tab, loading nothing from elsewhere", async () => {
    const context = await browser.newContext();
    const requests: string[] = [];
    const problems: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused script, style or connection (the CSP) shows up here; the schema fetch before the
      // key is in the Headers tab (401) and the favicon (404) do too, and are expected.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    expect((await page.goto(`${origin}/graphql`))!.status()).toBe(200);

    await setEditor(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)', JSON.stringify({ Authorization: `Bearer ${c.endToEnd.key}` }));
    // A query first, over HTTP.
    await setEditor(page, '.graphiql-query-editor', '{ viewer { role organisation { id } } }');
    await page.click('.graphiql-execute-button');
    await responseHolds(page, 'PROVIDER');
    expect(JSON.parse(await response(page))).toEqual({ data: { viewer: { role: 'PROVIDER', organisation: { id: c.endToEnd.id } } } });

    // Then the subscription, over graphql-ws: it runs until an item arrives.
    await setEditor(page, '.graphiql-query-editor', 'subscription { inboxItemAdded { cursor kind handoff { id status } } }');
    // GraphiQL parses the editor's text a moment after it changes, and picks the transport from that.
    await until(page, 'GraphiQL sees a subscription', "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.documentAST?.definitions[0]?.operation === 'subscription'");
    await page.click('.graphiql-execute-button');
    await until(page, 'the subscription runs', "(document.querySelector('.graphiql-execute-button')?.getAttribute('aria-label') ?? '').includes('Stop')");
    const handoffId = await passToSubcontractor();
    await responseHolds(page, handoffId);
    expect(JSON.parse(await response(page))).toMatchObject({ data: { inboxItemAdded: { kind: 'HANDOFF_OFFERED', handoff: { id: handoffId, status: 'OFFERED' } } } });

    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith(origin.replace(/^http/, 'ws')))).toEqual([]);
    expect(requests.some((url) => url.startsWith('ws://'))).toBe(true);
    await context.close();
  });
});
