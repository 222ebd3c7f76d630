import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Action } from '../../auth/policy';
import { Limit, LIMITS } from '../../common/input-limits';
import { After, First, type PageArgs } from '../../common/pagination';
import type { RequestContext } from '../context';
import { ApiKey } from '../identity/api-key.entity';
import { Organisation } from '../identity/organisation.entity';
import { personAccessLog, subjectAccessExport } from './audit.service';
import { PersonAccessConnection, PersonAccessEvent, SubjectAccessExport } from './audit.types';

/** A page of a person's access log; reading it is itself a read of the person, and audited. */
async function accessLogPage(ctx: RequestContext, participantId: string, page: PageArgs): Promise<PersonAccessConnection> {
  const log = await personAccessLog(ctx.db, participantId, page);
  ctx.audit.read(participantId, 'personAccessLog');
  return log;
}

/** The audit trail, as DWP's admins ask it: who read this person's record, and a subject access export. */
@Resolver(() => PersonAccessEvent)
export class AuditResolver {
  // A page of one person's events (found through an index on the people each event names).
  @Extensions({ cost: 1000 })
  @Authorized(Action.ReadAccessLog)
  @Query(() => PersonAccessConnection, {
    description:
      "Who read or changed a person's record, newest first: every disclosure of their fields (key, organisation, fields, operation, request) " +
      'and every write to their referrals, handoffs, contacts, doubts, jobs and payments. Asking is itself recorded as a read of the person. ADMIN.',
  })
  personAccessLog(
    @Ctx() ctx: RequestContext,
    @Arg('participantId', () => ID, { description: "The person (`Participant.id`); an unknown id has an empty log." }) participantId: string,
    @First() first?: number | null,
    @After('The `cursor` of the last entry read; from the newest without it. A cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
  ): Promise<PersonAccessConnection> {
    return accessLogPage(ctx, participantId, { first, after });
  }

  // Eighteen statements over every referral of the person (one per kind of record, whatever the number of referrals), its special-category fields decrypted.
  @Extensions({ cost: 5000 })
  @Authorized(Action.ExportSubjectAccess)
  @Query(() => SubjectAccessExport, {
    nullable: true,
    description:
      'Everything held about one person, for a subject access request: the whole record, every referral with its allocations, handoffs, ' +
      'contacts, compliance doubts, jobs and payments, what it was sent with (the referral record), queries, first appointments, changes of circumstances, ' +
      'assessments, action plan, progress updates, handback and message threads, and the access log. Give `participantId` or `nino` (BAD_USER_INPUT for both or neither); ' +
      'null when nobody has it. Audited as a read of every field returned. ADMIN.',
  })
  subjectAccessExport(
    @Ctx() ctx: RequestContext,
    @Arg('participantId', () => ID, { nullable: true, description: 'The person (`Participant.id`).' }) participantId?: string | null,
    @Arg('nino', () => String, { nullable: true, description: 'Or their National Insurance number (spaces and letter case do not matter).' })
    @Limit(LIMITS.nino)
    nino?: string | null,
  ): Promise<SubjectAccessExport | null> {
    return subjectAccessExport(ctx, { participantId, nino });
  }

  @FieldResolver(() => ApiKey, { nullable: true, description: 'The key that read or wrote; null outside the API (a script, a database console).' })
  apiKey(@Root() event: PersonAccessEvent, @Ctx() ctx: RequestContext): Promise<ApiKey | null> {
    return event.apiKeyId ? ctx.loaders.apiKey.load(event.apiKeyId) : Promise.resolve(null);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The key's organisation; null outside the API." })
  organisation(@Root() event: PersonAccessEvent, @Ctx() ctx: RequestContext): Promise<Organisation | null> {
    return event.organisationId ? ctx.loaders.organisation.load(event.organisationId) : Promise.resolve(null);
  }
}

@Resolver(() => SubjectAccessExport)
export class SubjectAccessExportResolver {
  @Extensions({ cost: 1000 })
  @FieldResolver(() => PersonAccessConnection, { description: "The person's access log, newest first, as `personAccessLog` gives it." })
  accessLog(
    @Root() export_: SubjectAccessExport,
    @Ctx() ctx: RequestContext,
    @First() first?: number | null,
    @After('The `cursor` of the last entry read. A cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
  ): Promise<PersonAccessConnection> {
    return accessLogPage(ctx, export_.participant.id, { first, after });
  }
}
