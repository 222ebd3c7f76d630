import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum ReferralQueryPurpose {
  INAPPROPRIATE_REFERRAL = 'INAPPROPRIATE_REFERRAL',
  OTHER_EXIT = 'OTHER_EXIT',
}
registerEnumType(ReferralQueryPurpose, {
  name: 'ReferralQueryPurpose',
  description:
    "What a prime asks the referring Jobcentre to decide about a referral. The Jobcentre's answer is WITHDRAW (the referral ends) or CONFIRM (it goes on).",
  valuesConfig: {
    INAPPROPRIATE_REFERRAL: {
      description: 'The prime thinks the referral inappropriate (002:1222): raised within the programme\'s query window from the allocation, before attachment.',
    },
    OTHER_EXIT: {
      description:
        "The prime asks to end an attached participation for another reason (recordExit with OTHER): the Jobcentre's decision. WITHDRAW agrees: the participant exits (OTHER) on the day of the answer, the query's reason as the handback's summary; CONFIRM keeps them on the programme.",
    },
  },
});

export enum ReferralQueryStatus {
  OPEN = 'OPEN',
  WITHDRAWN = 'WITHDRAWN',
  CONFIRMED = 'CONFIRMED',
}
registerEnumType(ReferralQueryStatus, {
  name: 'ReferralQueryStatus',
  description: "A query's lifecycle: OPEN → WITHDRAWN or CONFIRMED, by the referring Jobcentre; both are final.",
  valuesConfig: {
    OPEN: { description: "Waiting for the referring Jobcentre's answer; one open query per referral." },
    WITHDRAWN: { description: 'The Jobcentre withdrew the referral: it ended as WITHDRAWN.' },
    CONFIRMED: { description: 'The Jobcentre confirmed the referral: the prime proceeds, and cannot query it again on the same grounds.' },
  },
});

export enum ReferralQueryResolution {
  WITHDRAW = 'WITHDRAW',
  CONFIRM = 'CONFIRM',
}
registerEnumType(ReferralQueryResolution, {
  name: 'ReferralQueryResolution',
  description: "The referring Jobcentre's answer to a query.",
  valuesConfig: {
    WITHDRAW: { description: 'Withdraw the referral: it ends as WITHDRAWN; the same person referred again soon after goes back to the same contract.' },
    CONFIRM: { description: 'Confirm the referral: the prime must proceed with it.' },
  },
});

/** The query lifecycle, the one place it is written (checked by src/common/state-machine.ts). */
export const REFERRAL_QUERY_TRANSITIONS: Transitions<ReferralQueryStatus> = {
  [ReferralQueryStatus.OPEN]: [ReferralQueryStatus.WITHDRAWN, ReferralQueryStatus.CONFIRMED],
  [ReferralQueryStatus.WITHDRAWN]: [],
  [ReferralQueryStatus.CONFIRMED]: [],
};

/** Where each answer takes a query. */
export const RESOLVED_AS: Readonly<Record<ReferralQueryResolution, ReferralQueryStatus>> = {
  [ReferralQueryResolution.WITHDRAW]: ReferralQueryStatus.WITHDRAWN,
  [ReferralQueryResolution.CONFIRM]: ReferralQueryStatus.CONFIRMED,
};
