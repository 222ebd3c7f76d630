import { Arg, Authorized, Ctx, Extensions, FieldResolver, Int, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { forbidden } from '../../auth/errors';
import { Action } from '../../auth/policy';
import { accessTo, doubtListFilter, readForSubjectAccess } from '../../auth/referral-access';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { After, First, TotalCountAsked, queryPage, seqKeyset } from '../../common/pagination';
import { answer } from '../../common/payload';
import type { RequestContext } from '../context';
import { visibleCircumstanceChange, visibleReferral } from '../visible';
import { Organisation } from '../identity/organisation.entity';
import { Referral } from '../referrals/referral.entity';
import { DateScalar } from '../../common/scalars';
import { AuditReadOnReferral } from '../audit/person-reads';
import { ContactDetails } from '../referrals/participant.view';
import { Benefit } from '../referrals/programme';
import { SharedField } from '../../auth/access.enums';
import { CircumstanceChange } from './circumstance-change.entity';
import { BenefitEndedReason, CHANGE_FIELD, CircumstanceKind, actsOnRecord } from './circumstances';
import { ComplianceDoubt } from './compliance-doubt.entity';
import * as compliance from './compliance.service';
import { ComplianceDoubtType, OPEN_DOUBT_STATUSES } from './doubt-states';
import {
  ActionCircumstanceChangeInput,
  CircumstanceChangePayload,
  ComplianceDecisionRecord,
  ComplianceDoubtConnection,
  ComplianceDoubtFilter,
  ComplianceDoubtPayload,
  DecideComplianceDoubtInput,
  MandatoryActivity,
  RaiseComplianceDoubtInput,
  ReportCircumstanceChangeInput,
  ReturnComplianceDoubtInput,
  SubmitComplianceDoubtInput,
  WithdrawComplianceDoubtInput,
} from './compliance.types';

/** Compliance doubts: raised along the chain, decided by DWP. Rules: compliance.service. */
@Resolver(() => ComplianceDoubt)
export class ComplianceDoubtResolver {
  @Authorized(Action.RaiseDoubts)
  @Mutation(() => ComplianceDoubtPayload, {
    description: `Raises a doubt about a participant's compliance. The prime's goes to the Decision Makers at once (SUBMITTED); a subcontractor's to the prime (RAISED). Who can be doubted follows the payment group and participation mode: a volunteer only for not attending or engaging, an IB/IS or ESA volunteer never. CHANGE_OF_CIRCUMSTANCES (deprecated) files a change-of-circumstances report to the referring Jobcentre instead (\`circumstanceChange\`; no doubt). PROVIDER: the prime, or a subcontractor holding an accepted end-to-end or specialist handoff of the referral. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.NO_CONDITIONALITY,
      ErrorCode.MANDATORY_ACTIVITY_REQUIRED,
      ErrorCode.NOT_NOTIFIED_IN_WRITING,
      ErrorCode.NOTIFIED_AFTER_ACTIVITY,
      ErrorCode.DESCRIPTION_REQUIRED,
      ErrorCode.VOLUNTARY_PARTICIPANT,
      ErrorCode.REFERRAL_NOT_ATTACHED,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.DUPLICATE_DOUBT,
      ErrorCode.STATUS_CHANGED,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  async raiseComplianceDoubt(
    @Arg('input', () => RaiseComplianceDoubtInput, { description: 'The doubt.' }) input: RaiseComplianceDoubtInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ComplianceDoubtPayload> {
    if (input.type === ComplianceDoubtType.CHANGE_OF_CIRCUMSTANCES) {
      // The deprecated way in: a change of another kind, its day where the doubt's was.
      const change = { referralId: input.referralId, kind: CircumstanceKind.OTHER, effectiveOn: input.occurredOn, description: input.description };
      const { circumstanceChange, userErrors } = await answer('circumstanceChange', () => compliance.reportCircumstanceChange(ctx.db, viewer, change, undefined, 'occurredOn'));
      return { complianceDoubt: null, circumstanceChange, userErrors };
    }
    return answer('complianceDoubt', () => compliance.raiseComplianceDoubt(ctx.db, viewer, input));
  }

  @Authorized(Action.RaiseDoubts)
  @Mutation(() => ComplianceDoubtPayload, {
    description: `Submits a subcontractor's RAISED doubt to the Decision Makers. PROVIDER: the prime holding the referral. ${answersCodes(
      ErrorCode.UNKNOWN_COMPLIANCE_DOUBT,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.STATUS_CHANGED,
    )}`,
  })
  submitComplianceDoubt(
    @Arg('input', () => SubmitComplianceDoubtInput, { description: 'The doubt.' }) input: SubmitComplianceDoubtInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ComplianceDoubtPayload> {
    return answer('complianceDoubt', () => compliance.submitComplianceDoubt(ctx.db, viewer, input.complianceDoubtId));
  }

  @Authorized(Action.RaiseDoubts)
  @Mutation(() => ComplianceDoubtPayload, {
    description: `Returns a subcontractor's RAISED doubt to its raiser with what to put right. PROVIDER: the prime holding the referral. ${answersCodes(
      ErrorCode.UNKNOWN_COMPLIANCE_DOUBT,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  returnComplianceDoubt(
    @Arg('input', () => ReturnComplianceDoubtInput, { description: 'The doubt and what to put right.' }) input: ReturnComplianceDoubtInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ComplianceDoubtPayload> {
    return answer('complianceDoubt', () => compliance.returnComplianceDoubt(ctx.db, viewer, input));
  }

  @Authorized(Action.RaiseDoubts)
  @Mutation(() => ComplianceDoubtPayload, {
    description: `Withdraws a RAISED or SUBMITTED doubt before a decision. PROVIDER: its raiser or the prime holding the referral. ${answersCodes(
      ErrorCode.UNKNOWN_COMPLIANCE_DOUBT,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.TOO_LONG,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
    )}`,
  })
  withdrawComplianceDoubt(
    @Arg('input', () => WithdrawComplianceDoubtInput, { description: 'The doubt and why.' }) input: WithdrawComplianceDoubtInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ComplianceDoubtPayload> {
    return answer('complianceDoubt', () => compliance.withdrawComplianceDoubt(ctx.db, viewer, input));
  }

  @Authorized(Action.DecideDoubts)
  @Mutation(() => ComplianceDoubtPayload, {
    description: `Decides a SUBMITTED doubt. An applied sanction lasts \`sanctionWeeks\` when given, else the suggestion (\`suggestedSanctionWeeks\`) is recorded; the decision says which. A change of circumstances is never sanctioned. The decision goes to the raiser, the prime and the referring Jobcentre. DECISION_MAKER. ${answersCodes(
      ErrorCode.UNKNOWN_COMPLIANCE_DOUBT,
      ErrorCode.ILLEGAL_TRANSITION,
      ErrorCode.REASON_REQUIRED,
      ErrorCode.NOT_SANCTIONABLE,
      ErrorCode.INVALID_SANCTION_WEEKS,
      ErrorCode.DECISION_INCONSISTENT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  decideComplianceDoubt(
    @Arg('input', () => DecideComplianceDoubtInput, { description: 'The doubt, the outcome and why.' }) input: DecideComplianceDoubtInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ComplianceDoubtPayload> {
    return answer('complianceDoubt', () => compliance.decideComplianceDoubt(ctx.db, viewer, input));
  }

  @Extensions({ cost: 1000 })
  @Authorized(Action.ReadDoubts)
  @Query(() => ComplianceDoubtConnection, {
    description:
      'Compliance doubts in the order they were raised, a page at a time. DECISION_MAKER: the submitted and decided ones, nationally; PROVIDER: those on its prime contracts (raised in its own chain) and those it raised; JOBCENTRE: the decided ones on the referrals it made; other roles are FORBIDDEN.',
  })
  async complianceDoubts(
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
    @Arg('filter', () => ComplianceDoubtFilter, { nullable: true, description: 'Only the doubts that match.' }) filter?: ComplianceDoubtFilter | null,
    @First() first?: number | null,
    @After('Start after this cursor; a cursor this list did not give out is BAD_USER_INPUT.') after?: string | null,
    @TotalCountAsked() count?: boolean,
  ): Promise<ComplianceDoubtConnection> {
    const access = doubtListFilter(viewer);
    const query = ctx.db.getRepository(ComplianceDoubt).createQueryBuilder('d').innerJoin(Referral, 'r', 'r.id = d.referral_id').where(access.where, access.params);
    if (filter?.status?.length) query.andWhere('d.status IN (:...status)', { status: filter.status });
    if (filter?.cpaCode != null) query.andWhere('r.cpa_id = (SELECT id FROM cpa WHERE code = :cpaCode)', { cpaCode: filter.cpaCode });
    return queryPage(query, seqKeyset('d'), { first, after }, { count: Boolean(count) });
  }

  @FieldResolver(() => Referral, { description: 'The referral doubted; FORBIDDEN once the viewer may no longer see it.' })
  async referral(@Root() doubt: ComplianceDoubt, @Ctx() ctx: RequestContext): Promise<Referral> {
    if (!(await accessTo(ctx, doubt.referralId))?.canRead) throw forbidden('this referral');
    return (await ctx.loaders.referral.load(doubt.referralId))!;
  }

  @FieldResolver(() => Organisation, { description: 'The provider that raised it.' })
  async raisedBy(@Root() doubt: ComplianceDoubt, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(doubt.raisedById))!;
  }

  @FieldResolver(() => MandatoryActivity, { nullable: true, description: 'For FAILURE_TO_PARTICIPATE: the activity failed.' })
  mandatoryActivity(@Root() doubt: ComplianceDoubt): MandatoryActivity | null {
    return doubt.activityKind
      ? {
          kind: doubt.activityKind,
          description: doubt.activityDescription ?? '',
          notifiedOn: doubt.activityNotifiedOn!,
          notifiedInWriting: doubt.activityNotifiedInWriting!,
          scheduledFor: doubt.activityScheduledFor!,
        }
      : null;
  }

  @FieldResolver(() => ComplianceDecisionRecord, { nullable: true, description: 'The decision, once DECIDED.' })
  decision(@Root() doubt: ComplianceDoubt): ComplianceDecisionRecord | null {
    return doubt.outcome && doubt.decidedAt
      ? {
          outcome: doubt.outcome,
          reason: doubt.decisionReason!,
          sanctionWeeks: doubt.sanctionWeeks,
          sanctionWeeksSource: doubt.sanctionWeeksSource,
          notAppliedReason: doubt.notAppliedReason,
          decidedAt: doubt.decidedAt,
        }
      : null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "The sanction length the regime in force on the failure day suggests for the participant's benefit, counting the applied WP08/WP10 sanctions the exchange holds for earlier failures (a partial history: the Decision Maker sets the length). Null for a change of circumstances, and where no regime gives lengths (e.g. ESA).",
  })
  suggestedSanctionWeeks(@Root() doubt: ComplianceDoubt, @Ctx() ctx: RequestContext): Promise<number | null> {
    return ctx.loaders.suggestedSanctionWeeks.load(doubt.id);
  }

  @FieldResolver(() => CircumstanceChange, {
    nullable: true,
    description: "A report that the participant's benefit ended or conditionality changed, on or before the failure day, made after the doubt was submitted: the Decision Maker should weigh it (often STATUS_CHANGED). Null when none.",
  })
  async overtakenBy(@Root() doubt: ComplianceDoubt, @Ctx() ctx: RequestContext): Promise<CircumstanceChange | null> {
    return doubt.overtakenById ? visibleCircumstanceChange(ctx, doubt.overtakenById) : null;
  }
}

/** Whether the viewer reads a change's free text: as the gate answers, or whole in a subject access export. */
async function seesText(ctx: RequestContext, change: CircumstanceChange): Promise<boolean> {
  return readForSubjectAccess(change) || Boolean((await accessTo(ctx, change.referralId))?.seesChangeText(change));
}

/** Whether the viewer reads a participant field a change carries: its reporter and a subject access export whole, others as the gate shares that field with them. */
async function seesField(ctx: RequestContext, change: CircumstanceChange, field: SharedField): Promise<boolean> {
  if (change.reportedById === ctx.viewer?.organisation.id || readForSubjectAccess(change)) return true;
  return Boolean((await accessTo(ctx, change.referralId))?.participant?.fields.includes(field));
}

@Resolver(() => CircumstanceChange)
export class CircumstanceChangeResolver {
  @Authorized(Action.ReportCircumstanceChanges)
  @Mutation(() => CircumstanceChangePayload, {
    description: `Reports a change in a participant's circumstances. From the referring Jobcentre it updates the participant's record (new contact details, consent) and reaches the prime and every live holder (CIRCUMSTANCES_CHANGED, each seeing only the details it may see); from a provider it reaches the Jobcentre, which answers it (actionCircumstanceChange), and acts only once ACTIONED. BENEFIT_ENDED records the off-benefit marker (never an exit); BENEFIT_ENDED, BENEFIT_CHANGED and CONDITIONALITY_CHANGED flag submitted doubts about a later day to the Decision Makers, and no doubt about a later day can be raised until the participant returns. A kind that speaks of health (HOSPITAL, CONSENT_CHANGED), risk (IN_CUSTODY) or contact details reaches only those who may see that field. JOBCENTRE (the referring one); PROVIDER: the prime, or a subcontractor holding an accepted handoff. ${answersCodes(
      ErrorCode.UNKNOWN_REFERRAL,
      ErrorCode.CHANGE_DETAILS_MISMATCH,
      ErrorCode.DESCRIPTION_REQUIRED,
      ErrorCode.ADDRESS_INCOMPLETE,
      ErrorCode.INVALID_PHONE,
      ErrorCode.INVALID_EMAIL,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.DATE_IN_FUTURE,
      ErrorCode.DATE_BEFORE_REFERRAL,
      ErrorCode.TOO_LONG,
    )}`,
  })
  reportCircumstanceChange(
    @Arg('input', () => ReportCircumstanceChangeInput, { description: 'The referral, what changed and when.' }) input: ReportCircumstanceChangeInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CircumstanceChangePayload> {
    return answer('circumstanceChange', () => compliance.reportCircumstanceChange(ctx.db, viewer, input));
  }

  @Authorized(Action.AnswerCircumstanceChanges)
  @Mutation(() => CircumstanceChangePayload, {
    description: `Answers a provider's report of a change: ACTIONED or NOT_ACTIONED, with a note; the reporter hears back (CIRCUMSTANCE_CHANGE_ACTIONED). JOBCENTRE (the referring one). ${answersCodes(
      ErrorCode.UNKNOWN_CIRCUMSTANCE_CHANGE,
      ErrorCode.CHANGE_ALREADY_ANSWERED,
      ErrorCode.RESTRICTED_RECORD_FREE_TEXT,
      ErrorCode.TOO_LONG,
    )}`,
  })
  actionCircumstanceChange(
    @Arg('input', () => ActionCircumstanceChangeInput, { description: 'The report and your answer.' }) input: ActionCircumstanceChangeInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CircumstanceChangePayload> {
    return answer('circumstanceChange', () => compliance.actionCircumstanceChange(ctx.db, viewer, input));
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that reported it: the referring Jobcentre or a provider.' })
  async reportedBy(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(change.reportedById))!;
  }

  @UseMiddleware(AuditReadOnReferral)
  @FieldResolver(() => String, {
    nullable: true,
    description: "What changed, in words, when the reporter said: for the referring Jobcentre, the prime and the reporter (null for others); a read of the person's record, kept in the audit trail.",
  })
  async description(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await seesText(ctx, change)) ? change.description : null;
  }

  @UseMiddleware(AuditReadOnReferral)
  @FieldResolver(() => ContactDetails, {
    nullable: true,
    description: "ADDRESS, PHONE, EMAIL: the new details, only for those who may see the participant's contact details (and the reporter); a read of the person, kept in the audit trail.",
  })
  async newContactDetails(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<ContactDetails | null> {
    if ((!change.address && !change.phone && !change.email) || !(await seesField(ctx, change, SharedField.CONTACT_DETAILS))) return null;
    const address = change.address && { line1: change.address.line1, line2: change.address.line2 ?? null, town: change.address.town ?? null, postcode: change.address.postcode };
    return { address, phone: change.phone, email: change.email };
  }

  @UseMiddleware(AuditReadOnReferral)
  @FieldResolver(() => BenefitEndedReason, {
    nullable: true,
    description: "BENEFIT_ENDED: why (the claimant started work, or another reason); only for those who may see the participant's benefit (and the reporter); a read of the person, kept in the audit trail.",
  })
  async benefitEndedReason(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<BenefitEndedReason | null> {
    return change.benefitEndedReason && (await seesField(ctx, change, SharedField.BENEFIT)) ? change.benefitEndedReason : null;
  }

  @UseMiddleware(AuditReadOnReferral)
  @FieldResolver(() => Benefit, {
    nullable: true,
    description: "BENEFIT_CHANGED: the benefit before, when given; only for those who may see the participant's benefit (and the reporter); a read of the person, kept in the audit trail.",
  })
  async benefitFrom(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<Benefit | null> {
    return change.benefitFrom && (await seesField(ctx, change, SharedField.BENEFIT)) ? change.benefitFrom : null;
  }

  @UseMiddleware(AuditReadOnReferral)
  @FieldResolver(() => Benefit, {
    nullable: true,
    description: "BENEFIT_CHANGED: the benefit now; only for those who may see the participant's benefit (and the reporter); a read of the person, kept in the audit trail.",
  })
  async benefitTo(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<Benefit | null> {
    return change.benefitTo && (await seesField(ctx, change, SharedField.BENEFIT)) ? change.benefitTo : null;
  }

  @UseMiddleware(AuditReadOnReferral)
  @FieldResolver(() => String, { nullable: true, description: "The Jobcentre's note with its answer, for the Jobcentre, the prime and the reporter; a read of the person, kept in the audit trail." })
  async actionNote(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await seesText(ctx, change)) ? change.actionNote : null;
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description: "The day a later change of the same kind on this referral took effect (the referring Jobcentre's, or a provider's it ACTIONED): this one held until then (the history). Null while it holds.",
  })
  async validUntil(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<string | null> {
    const [referral, all] = await Promise.all([ctx.loaders.referral.load(change.referralId), ctx.loaders.circumstanceChangesByReferral.load(change.referralId)]);
    // Only a change that took effect ends another: a provider's report the Jobcentre has not confirmed did not.
    const later = all.filter(
      (other) =>
        other.kind === change.kind && other.id !== change.id && actsOnRecord(other, referral!.jobcentreId) &&
        (other.effectiveOn > change.effectiveOn || (other.effectiveOn === change.effectiveOn && other.reportedAt > change.reportedAt)),
    );
    return later[0]?.effectiveOn ?? null;
  }

  @FieldResolver(() => Referral, { nullable: true, description: 'The referral it is about; null once the viewer may no longer see it.' })
  referral(@Root() change: CircumstanceChange, @Ctx() ctx: RequestContext): Promise<Referral | null> {
    return visibleReferral(ctx, change.referralId);
  }
}

@Resolver(() => Referral)
export class ReferralDoubtsResolver {
  @Extensions({ listSize: 50 })
  @FieldResolver(() => [CircumstanceChange], { description: 'Changes of circumstances reported about this referral, oldest effective day first: each kind\'s history.' })
  async circumstanceChanges(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<CircumstanceChange[]> {
    const [access, changes] = await Promise.all([accessTo(ctx, referral.id), ctx.loaders.circumstanceChangesByReferral.load(referral.id)]);
    return changes.filter((change) => access?.seesChange(change, CHANGE_FIELD[change.kind]));
  }

  @FieldResolver(() => [ComplianceDoubt], { description: 'The doubts on this referral the viewer may see.' })
  async complianceDoubts(
    @Root() referral: Referral,
    @Ctx() ctx: RequestContext,
    @Arg('open', () => Boolean, { nullable: true, description: 'True: only the open ones (RAISED, SUBMITTED: waiting for the prime or a Decision Maker); false: only the closed ones; absent: all.' }) open?: boolean | null,
  ): Promise<ComplianceDoubt[]> {
    const [access, doubts] = await Promise.all([accessTo(ctx, referral.id), ctx.loaders.doubtsByReferral.load(referral.id)]);
    return doubts.filter((doubt) => access?.seesDoubt(doubt) && (open == null || OPEN_DOUBT_STATUSES.includes(doubt.status) === open));
  }
}
