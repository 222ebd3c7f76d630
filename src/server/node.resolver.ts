import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Action, authorize, can } from '../auth/policy';
import { isUuid } from '../common/ids';
import { Node } from '../common/node';
import { visibleThread } from '../modules/messages/messages.resolver';
import { visibleJobStart, visiblePayment } from '../modules/outcomes/outcomes.resolver';
import { ServiceStandard } from '../modules/standards/service-standard.entity';
import { visibleContact } from '../modules/standards/standards.resolver';
import { loadParticipantNode } from '../modules/referrals/referrals.resolver';
import {
  visibleActionPlanReview,
  visibleAssessment,
  visibleCircumstanceChange,
  visibleDoubt,
  visibleFirstAppointment,
  visibleHandoff,
  visiblePlannedAction,
  visibleProgressUpdate,
  visibleReferral,
  visibleReferralQuery,
} from '../modules/visible';
import type { RequestContext } from '../modules/context';

/** Where the objects of one Node type live, who may read them, and how to load one. */
interface NodeSource {
  table: string;
  action: Action;
  load(ctx: RequestContext, id: string): Promise<Node | null>;
}

const NODE_SOURCES: NodeSource[] = [
  { table: 'organisation', action: Action.ReadRegistry, load: (ctx, id) => ctx.loaders.organisation.load(id) },
  { table: 'cpa', action: Action.ReadRegistry, load: (ctx, id) => ctx.loaders.cpa.load(id) },
  { table: 'prime_contract', action: Action.ReadRegistry, load: (ctx, id) => ctx.loaders.primeContract.load(id) },
  { table: 'subcontract', action: Action.ReadRegistry, load: (ctx, id) => ctx.loaders.subcontract.load(id) },
  // Any key may ask: the access gate decides, as on every other path to a referral (a Decision
  // Maker reaches one through a submitted doubt).
  { table: 'referral', action: Action.ReadViewer, load: visibleReferral },
  { table: 'participant', action: Action.ReadViewer, load: loadParticipantNode },
  { table: 'handoff', action: Action.PassReferrals, load: visibleHandoff },
  { table: 'contact', action: Action.RecordContacts, load: visibleContact },
  { table: 'compliance_doubt', action: Action.ReadDoubts, load: visibleDoubt },
  { table: 'job_start', action: Action.RecordJobs, load: visibleJobStart },
  { table: 'payment', action: Action.ClaimPayments, load: visiblePayment },
  { table: 'message_thread', action: Action.ExchangeMessages, load: visibleThread },
  // The records of the loop between Jobcentres and the chain: the access gate decides, as on the referral's own fields.
  { table: 'circumstance_change', action: Action.ReadViewer, load: visibleCircumstanceChange },
  { table: 'first_appointment', action: Action.ReadViewer, load: visibleFirstAppointment },
  { table: 'referral_query', action: Action.ReadViewer, load: visibleReferralQuery },
  { table: 'assessment', action: Action.ReadViewer, load: visibleAssessment },
  { table: 'planned_action', action: Action.ReadViewer, load: visiblePlannedAction },
  { table: 'action_plan_review', action: Action.ReadViewer, load: visibleActionPlanReview },
  { table: 'progress_update', action: Action.ReadViewer, load: visibleProgressUpdate },
  { table: 'service_standard', action: Action.ReadRegistry, load: (ctx, id) => ctx.db.getRepository(ServiceStandard).findOneBy({ id }) },
];

// Ids are UUIDs unique across tables, so one statement finds which table holds an id.
const FIND_TABLE_SQL = NODE_SOURCES.map(
  (source) => `SELECT '${source.table}' AS source FROM ${source.table} WHERE id = $1`,
).join(' UNION ALL ');

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its id, as the viewer may read it: null for an unknown id and for an object the viewer's role or relationship does not reach (never FORBIDDEN, which would tell it exists). Any key.",
  })
  async node(@Arg('id', () => ID, { description: 'An id from any object of the exchange.' }) id: string, @Ctx() ctx: RequestContext): Promise<Node | null> {
    authorize(ctx.viewer, Action.ReadViewer);
    if (!isUuid(id)) return null;
    const rows: Array<{ source: string }> = await ctx.db.query(FIND_TABLE_SQL, [id]);
    const source = NODE_SOURCES.find((s) => s.table === rows[0]?.source);
    // An object the viewer's role may never read answers as absent: FORBIDDEN would tell that it exists.
    if (!source || !can(ctx.viewer, source.action)) return null;
    return source.load(ctx, id);
  }
}
