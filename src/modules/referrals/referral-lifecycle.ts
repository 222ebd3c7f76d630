import { Lifecycle } from '../../common/state-machine';
import { type InboxEvent, addToInbox } from '../inbox/inbox';
import { Referral } from './referral.entity';
import type { ReferralStatus } from '../../auth/access.enums';
import { REFERRAL_TRANSITIONS } from './referral-states';

/**
 * The referral's lifecycle runner. Other modules hook onto it rather than being called from here:
 * the chain ends its handoffs when a referral leaves its prime, outcomes pays the attachment fee
 * (their hooks are installed with the data model, src/server/data-model.ts).
 */
export const referralLifecycle = new Lifecycle<ReferralStatus, Referral, InboxEvent>('referral', REFERRAL_TRANSITIONS, Referral, addToInbox);
