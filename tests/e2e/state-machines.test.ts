import { ErrorCode } from '../../src/common/error-codes';
import { refuse } from '../../src/common/user-error';
import { ReferralStatus } from '../../src/auth/access.enums';
import { referralLifecycle } from '../../src/modules/referrals/referral-lifecycle';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * The lifecycle runner (src/common/state-machine.ts): modules' hooks are installed with the data
 * model, and a move, its hooks and its inbox items commit or roll back together.
 */
let t: TestServer;
let c: TestChain;
let refusedId = '';

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 61);
  // A hook that refuses one referral's attachment after the move was saved and the fee hook ran.
  referralLifecycle
    .on([ReferralStatus.ATTACHED], 'test: refuse one attachment', async (_tx, { subject }) => {
      if (subject.id === refusedId) refuse(ErrorCode.ILLEGAL_TRANSITION, 'Refused by the test hook', ['referralId']);
      return [];
    })
    .install();
}, 60000);

afterAll(async () => t?.close());

test('the data model installs the modules\' hooks on the referral lifecycle', () => {
  expect(referralLifecycle.hooksInto(ReferralStatus.ATTACHED)).toEqual(['outcomes: attachment fee', 'appointments: attended first appointment', 'test: refuse one attachment']);
  for (const leavesPrime of [ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN, ReferralStatus.EXITED, ReferralStatus.ALLOCATED]) {
    expect(referralLifecycle.hooksInto(leavesPrime)).toEqual(['chain: end live handoffs']);
  }
  expect(referralLifecycle.hooksInto(ReferralStatus.ACKNOWLEDGED)).toEqual([]);
});

test('a hook that refuses rolls back the move, the other hooks\' writes and the inbox items', async () => {
  const journey = await (await Journey.refer(t, c, { referredOn: '2024-05-01' })).acknowledge();
  refusedId = journey.referralId;
  const before = await t.db.dataSource.query('SELECT count(*)::int AS n FROM inbox_item');
  const response = await t.gql<{ recordAttachment: { referral: unknown; userErrors: Array<{ code: string }> } }>(
    'mutation($input: RecordAttachmentInput!) { recordAttachment(input: $input) { referral { id } userErrors { code } } }',
    { input: { referralId: journey.referralId, attachedOn: '2024-05-10' } },
    c.prime.key,
  );
  expect(response.data!.recordAttachment).toEqual({ referral: null, userErrors: [{ code: 'ILLEGAL_TRANSITION' }] });
  const [row] = await t.db.dataSource.query('SELECT status, attached_on, allotted_until FROM referral WHERE id = $1', [journey.referralId]);
  expect(row).toEqual({ status: 'ACKNOWLEDGED', attached_on: null, allotted_until: null });
  expect(await t.db.dataSource.query('SELECT id FROM payment WHERE referral_id = $1', [journey.referralId])).toEqual([]);
  expect(await t.db.dataSource.query('SELECT id FROM first_appointment WHERE referral_id = $1', [journey.referralId])).toEqual([]);
  expect(await t.db.dataSource.query('SELECT count(*)::int AS n FROM inbox_item')).toEqual(before);

  refusedId = '';
  await journey.attach('2024-05-10');
  expect(await t.db.dataSource.query('SELECT kind FROM payment WHERE referral_id = $1', [journey.referralId])).toEqual([{ kind: 'ATTACHMENT' }]);
});

test('an illegal move is refused by the transition table before anything is applied', async () => {
  const journey = await Journey.refer(t, c, { referredOn: '2024-05-01' });
  const response = await t.gql<{ recordExit: { referral: unknown; userErrors: Array<{ code: string }> } }>(
    'mutation($input: RecordExitInput!) { recordExit(input: $input) { referral { id } userErrors { code } } }',
    { input: { referralId: journey.referralId, exitedOn: '2024-05-02', reason: 'FINAL_PAYMENT_CLAIMED' } },
    c.prime.key,
  );
  expect(response.data!.recordExit.userErrors).toEqual([{ code: 'ILLEGAL_TRANSITION' }]);
  const [row] = await t.db.dataSource.query('SELECT status, exited_on FROM referral WHERE id = $1', [journey.referralId]);
  expect(row).toEqual({ status: 'ALLOCATED', exited_on: null });
});
