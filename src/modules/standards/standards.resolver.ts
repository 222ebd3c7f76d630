import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../auth/errors';
import { Action } from '../../auth/policy';
import { accessTo, complianceAccess } from '../../auth/referral-access';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { todayUtc } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { After, First, MAX_PAGE_SIZE, TotalCountAsked, decodeCursor, emptyPage, isInstantPosition, pageOf, pageSize } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { PrimeContract } from '../contracts/prime-contract.entity';
import { Organisation } from '../identity/organisation.entity';
import { Referral } from '../referrals/referral.entity';
import { setInForce } from './clocks';
import { Contact } from './contact.entity';
import { ServiceStandard } from './service-standard.entity';
import * as standards from './standards.service';
import {
  ContactConnection,
  PublishServiceStandardsInput,
  PublishServiceStandardsPayload,
  RecordContactInput,
  RecordContactPayload,
  ServiceStandardBreach,
  ServiceStandardComplianceReport,
  StandardCompliance,
  SubcontractorCompliance,
} from './standards.types';

/** Standards, contacts and compliance. Rules and SQL: standards.service; who sees what: the policy. */
@Resolver(() => ServiceStandard)
export class StandardsResolver {
  @Authorized(Action.PublishStandards)
  @Mutation(() => PublishServiceStandardsPayload, {
    description: `Publishes a new version of a contract's minimum service standards, in force from its effectiveFrom (today when absent): it replaces from that day the set in force and any set published for a later day (kept, superseded, with the last day they were in force), and every member of the contract's chain finds it in its inbox. PROVIDER: the prime holding the contract. ${answersCodes(
      ErrorCode.UNKNOWN_CONTRACT,
      ErrorCode.INVALID_THRESHOLD,
      ErrorCode.MINIMUM_PERCENT_REQUIRED,
      ErrorCode.MINIMUM_PERCENT_NOT_ALLOWED,
      ErrorCode.DESCRIPTION_REQUIRED,
      ErrorCode.STANDARDS_REQUIRED,
      ErrorCode.DUPLICATE_STANDARD,
      ErrorCode.EFFECTIVE_FROM_IN_PAST,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  async publishServiceStandards(
    @Arg('input', () => PublishServiceStandardsInput, { description: 'The contract and its standards.' }) input: PublishServiceStandardsInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<PublishServiceStandardsPayload> {
    return answer('standards', () => standards.publishServiceStandards(ctx.db, viewer, input));
  }

  @Authorized(Action.RecordContacts)
  @Mutation(() => RecordContactPayload, {
    description: `Records a contact with a participant; the same contact (referral, time, kind, recorder) recorded again answers the first. PROVIDER: the prime, or the holder of a live handoff of the referral. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.REFERRAL_NOT_LIVE,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  async recordContact(@Arg('input', () => RecordContactInput, { description: 'The contact.' }) input: RecordContactInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: Viewer): Promise<RecordContactPayload> {
    return answer('contact', () => standards.recordContact(ctx.db, viewer, input));
  }

  @Extensions({ cost: 50000 })
  @Authorized(Action.ReadCompliance)
  @Query(() => ServiceStandardComplianceReport, {
    description:
      "Measures each standard of a contract in force on a day over the participants it applies to that day (ServiceStandardMetric says whose clock runs when); each earlier day of a participant's clock is measured against the version of the standard in force that day, and days before any was in force against nothing. PROVIDER: the prime reads it all, a member of the contract's chain its own participants; ADMIN and ANALYST the figures without the people in breach. An unknown contract is NOT_FOUND.",
  })
  async serviceStandardCompliance(
    @Arg('contractId', () => ID, { description: 'The prime contract.' }) contractId: string,
    @Arg('asOf', () => DateScalar, { description: 'The day to measure on.' }) asOf: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ServiceStandardComplianceReport> {
    const contract = isUuid(contractId) ? await ctx.loaders.primeContract.load(contractId) : null;
    if (!contract) throw new GraphQLError('No prime contract has this id', { extensions: { code: 'NOT_FOUND' } });
    const chain = (await ctx.loaders.subcontractsByContract.load(contract.id)).map((p) => p.subcontractorId);
    const access = complianceAccess(ctx.viewer, contract, chain);
    const scope = { contract, asOf, holder: access.kind === 'OWN' ? access.organisationId : null };
    const inForce = await standards.standardsInForce(ctx.db, contract.id, asOf);
    const evaluations = await standards.evaluateStandards(ctx.db, inForce, scope, access.kind === 'FIGURES' ? 0 : MAX_PAGE_SIZE);
    const report = inForce.map(({ standard }, s): StandardCompliance => {
        const { counts, breaches } = evaluations[s];
        const inScope = counts.reduce((sum, c) => sum + c.inScope, 0);
        const meeting = counts.reduce((sum, c) => sum + c.meeting, 0);
        const rate = inScope ? meeting / inScope : null;
        const met = standards.isMet(standard, inScope, meeting);
        return {
          standard,
          participantsInScope: inScope,
          participantsMeeting: meeting,
          complianceRate: rate,
          met,
          bySubcontractor: counts.map((c) => ({ organisationId: c.holder, participantsInScope: c.inScope, participantsMeeting: c.meeting })),
          scope,
          firstBreaches: breaches,
        };
    });
    return { contract, asOf, standards: report };
  }

  @FieldResolver(() => PrimeContract, { description: 'The contract it is a standard of.' })
  async contract(@Root() standard: ServiceStandard, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(standard.contractId))!;
  }
}

@Resolver(() => StandardCompliance)
export class StandardComplianceResolver {
  @Extensions({ cost: 1000 })
  @FieldResolver(() => [ServiceStandardBreach], { description: 'The participants in breach, earliest due first; none for DWP figures.' })
  async breaches(
    @Root() compliance: StandardCompliance,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'How many, 1 to 500 (50 when absent); outside that, BAD_USER_INPUT.' }) first?: number | null,
  ): Promise<ServiceStandardBreach[]> {
    const breaches = compliance.firstBreaches.slice(0, pageSize(first));
    const lastContacts = await standards.lastContacts(ctx.db, compliance.standard, compliance.scope.asOf, breaches);
    const referrals = (await ctx.loaders.referral.loadMany(breaches.map((b) => b.referralId))) as Referral[];
    // Counted for the report date, but named only where the viewer may see the referral now.
    const visible = await Promise.all(breaches.map((breach) => accessTo(ctx, breach.referralId)));
    return breaches.flatMap((breach, i) =>
      visible[i]?.canRead ? [{ referral: referrals[i], dueBy: breach.dueBy, lastContactOn: lastContacts.get(breach.referralId) ?? null }] : [],
    );
  }
}

@Resolver(() => SubcontractorCompliance)
export class SubcontractorComplianceResolver {
  @FieldResolver(() => Organisation, { description: 'Who delivers for these participants: the END_TO_END handoff holder, or the prime itself.' })
  async subcontractor(@Root() row: SubcontractorCompliance, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(row.organisationId))!;
  }
}

@Resolver(() => PrimeContract)
export class ContractStandardsResolver {
  @FieldResolver(() => [ServiceStandard], { description: 'The standards in force today; a set published to take effect later is in serviceStandardHistory.' })
  async serviceStandards(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<ServiceStandard[]> {
    return setInForce(await ctx.loaders.standardsByContract.load(contract.id), todayUtc());
  }

  @Extensions({ listSize: 30 })
  @FieldResolver(() => [ServiceStandard], { description: 'Every published standard, superseded ones with their dates, newest version first.' })
  async serviceStandardHistory(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<ServiceStandard[]> {
    return [...(await ctx.loaders.standardsByContract.load(contract.id))].reverse();
  }
}

@Resolver(() => Contact)
export class ContactResolver {
  @FieldResolver(() => Referral, { description: 'The referral it was recorded against; FORBIDDEN once the viewer may no longer see it.' })
  async referral(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<Referral> {
    if (!(await accessTo(ctx, contact.referralId))?.canRead) throw forbidden('this referral');
    return (await ctx.loaders.referral.load(contact.referralId))!;
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that recorded it.' })
  async recordedBy(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(contact.recordedById))!;
  }
}

/** A contact's place in its list: when it occurred, then its id (`2025-01-31T09:00:00.000Z|<uuid>`). */
const contactPosition = (contact: Contact) => `${contact.occurredAt.toISOString()}|${contact.id}`;
function isContactPosition(position: string): boolean {
  const [at, id, ...rest] = position.split('|');
  return rest.length === 0 && id !== undefined && isInstantPosition(at) && isUuid(id);
}

@Resolver(() => Referral)
export class ReferralContactsResolver {
  @Extensions({ cost: 10 })
  @FieldResolver(() => ContactConnection, {
    description:
      'Contacts recorded along the chain, oldest first (or newest first): for the prime, and down the chain for the holder of an ACCEPTED handoff sharing CONTACT_NOTES or ACTION_PLAN (never for a restricted record); only those of the chain the referral is allocated to now, and always those the viewer recorded itself.',
  })
  async contacts(
    @Root() referral: Referral,
    @Ctx() ctx: RequestContext,
    @First() first?: number | null,
    @After('Start after this cursor; a cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
    @Arg('newestFirst', () => Boolean, { nullable: true, description: 'Newest first (the latest contact on the first page); oldest first when absent or false.' })
    newestFirst?: boolean | null,
    @TotalCountAsked() counted?: boolean,
  ): Promise<ContactConnection> {
    const size = pageSize(first); // refused whoever asks, as before the viewer's access is known
    const access = await accessTo(ctx, referral.id);
    if (!access?.canRead) return emptyPage();
    const visibility = access.contactVisibility();
    const position = decodeCursor(after, isContactPosition);
    const [at, id] = position?.split('|') ?? [];
    // Counted only when asked for, in the same statement as the page, for every referral of the read at once.
    const page = await ctx.loaders.contactPages.load({
      referralId: referral.id, limit: size + 1, after: position ? { at, id } : null, newestFirst: newestFirst === true, visibility, counted: counted === true,
    });
    return { ...pageOf(page.contacts, size, contactPosition), totalCount: page.totalCount ?? 0 };
  }
}

/** node(id) for a contact: as the access gate's `seesContact` allows. */
export async function visibleContact(ctx: RequestContext, id: string): Promise<Contact | null> {
  const contact = isUuid(id) ? await ctx.db.getRepository(Contact).findOneBy({ id }) : null;
  const access = contact && (await accessTo(ctx, contact.referralId));
  return access?.seesContact(contact!) ? contact : null;
}
