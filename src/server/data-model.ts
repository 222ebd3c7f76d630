import type { DataModel } from '../db/data-source';
import { ActorSubscriber } from '../modules/audit/actor';
import { InboxItemRecord } from '../modules/inbox/inbox-item.entity';
import { firstAppointmentAtAttachment } from '../modules/appointments/appointments.service';
import { FirstAppointment } from '../modules/appointments/first-appointment.entity';
import { ReferralAllocation } from '../modules/allocation/referral-allocation.entity';
import { endChainWithReferral } from '../modules/chain/chain.service';
import { Handoff } from '../modules/chain/handoff.entity';
import { CircumstanceChange } from '../modules/compliance/circumstance-change.entity';
import { ComplianceDoubt } from '../modules/compliance/compliance-doubt.entity';
import { Cpa } from '../modules/contracts/cpa.entity';
import { MarketShare } from '../modules/contracts/market-share.entity';
import { PrimeContract } from '../modules/contracts/prime-contract.entity';
import { Subcontract } from '../modules/contracts/subcontract.entity';
import { ApiKey } from '../modules/identity/api-key.entity';
import { Organisation } from '../modules/identity/organisation.entity';
import { JobStart } from '../modules/outcomes/job-start.entity';
import { Payment } from '../modules/outcomes/payment.entity';
import { attachmentFee } from '../modules/outcomes/payments';
import { ContactPoint } from '../modules/messages/contact-point.entity';
import { Message } from '../modules/messages/message.entity';
import { MessageThread } from '../modules/messages/message-thread.entity';
import { Programme } from '../modules/outcomes/programme.entity';
import { RateCard } from '../modules/outcomes/rate-card.entity';
import { Participant } from '../modules/referrals/participant.entity';
import { ReferralClaimant } from '../modules/referrals/referral-claimant.entity';
import { ReferralQuery } from '../modules/referrals/referral-query.entity';
import { ReferralReturn } from '../modules/referrals/referral-return.entity';
import { Referral } from '../modules/referrals/referral.entity';
import { Contact } from '../modules/standards/contact.entity';
import { ActionPlanReview } from '../modules/record/action-plan-review.entity';
import { Assessment } from '../modules/record/assessment.entity';
import { PlannedAction } from '../modules/record/planned-action.entity';
import { ProgressUpdate } from '../modules/record/progress-update.entity';
import { ReferralRecord } from '../modules/record/referral-record.entity';
import { ServiceStandard } from '../modules/standards/service-standard.entity';

/**
 * What every DataSource maps: each module's TypeORM entities, the audit's subscriber that tells
 * the audit triggers who is acting, and the hooks modules put on each other's lifecycles (a
 * referral leaving its prime ends the chain's handoffs; attachment pays the fee and needs an attended
 * first appointment). Listed here,
 * above the modules, so that db/ needs none and no module calls another's side effects.
 */
export const DATA_MODEL: DataModel = {
  entities: [Organisation, ApiKey, Cpa, PrimeContract, Subcontract, MarketShare, Participant, Referral, ReferralClaimant, ReferralQuery, ReferralReturn, ReferralAllocation, Handoff, InboxItemRecord, ServiceStandard, Contact, ComplianceDoubt, CircumstanceChange, Programme, RateCard, JobStart, Payment, MessageThread, Message, ContactPoint, FirstAppointment, ReferralRecord, Assessment, PlannedAction, ActionPlanReview, ProgressUpdate],
  subscribers: [ActorSubscriber],
  lifecycleHooks: [endChainWithReferral, attachmentFee, firstAppointmentAtAttachment],
};
