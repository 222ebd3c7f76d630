import { addDays, todayUtc } from '../../src/common/dates';
import { type TestChain, createChain } from '../helpers/chain';
import { Journey, attachedReferral } from '../helpers/journey';
import { type TestServer, startTestServer } from '../helpers/server';

/**
 * `contact_days` (what the compliance report reads instead of the contacts) follows the contacts
 * as they are recorded through the API, and as they are corrected or removed in the database.
 */

let t: TestServer;
let c: TestChain;
const day = (offset: number) => addDays(todayUtc(), offset);
const at = (offset: number) => `${day(offset)}T10:00:00Z`;

beforeAll(async () => {
  t = await startTestServer();
  c = await createChain(t, 7);
});
afterAll(() => t.close());

const daysOf = async (referralId: string) => {
  const [row] = await t.db.dataSource.query(
    `SELECT attended_days::text[] AS attended, adviser_days::text[] AS adviser, adviser_record_at AS "recordAt", adviser_record_gap AS "recordGap",
            review_days::text[] AS review, in_work_days::text[] AS "inWork"
       FROM contact_days WHERE referral_id = $1`,
    [referralId],
  );
  return row;
};

it('keeps each referral’s sorted, distinct attended days per metric, and the record gaps between them', async () => {
  const referralId = await attachedReferral(t, c, { paymentGroup: 'JSA_18_24', referredOn: day(-60), attachedOn: day(-58) });
  const journey = Journey.of(t, c, referralId);
  // Recorded out of order, twice on one day, one missed.
  for (const [offset, kind, attended] of [
    [-10, 'ADVISER_CONTACT', true],
    [-50, 'INITIAL_MEETING', true],
    [-40, 'ADVISER_CONTACT', true],
    [-40, 'ACTION_PLAN_REVIEW', true],
    [-5, 'ADVISER_CONTACT', false],
    [-38, 'ADVISER_CONTACT', true],
  ] as const) {
    await journey.contact({ occurredAt: at(offset), channel: 'TELEPHONE', kind, attended });
  }
  expect(await daysOf(referralId)).toEqual({
    attended: [day(-50), day(-40), day(-38), day(-10)],
    adviser: [day(-50), day(-40), day(-38), day(-10)],
    // Gaps 10, 2, 28: the records are the first (10 days, ending at the 2nd day) and the 28 days ending at the 4th.
    recordAt: [2, 4],
    recordGap: [10, 28],
    review: [day(-40)],
    inWork: [],
  });

  // Corrected in the database: the missed contact was attended after all; the review is removed.
  await t.db.dataSource.query(`UPDATE contact SET attended = true WHERE referral_id = $1 AND NOT attended`, [referralId]);
  await t.db.dataSource.query(`DELETE FROM contact WHERE referral_id = $1 AND kind = 'ACTION_PLAN_REVIEW'`, [referralId]);
  expect(await daysOf(referralId)).toMatchObject({
    attended: [day(-50), day(-40), day(-38), day(-10), day(-5)],
    adviser: [day(-50), day(-40), day(-38), day(-10), day(-5)],
    recordAt: [2, 4],
    recordGap: [10, 28],
    review: [],
  });
});
