import { registerEnumType } from 'type-graphql';
import type { Transitions } from '../../common/state-machine';

export enum MessageTopic {
  ATTENDANCE = 'ATTENDANCE',
  SIGNING = 'SIGNING',
  CONTACT_DETAILS = 'CONTACT_DETAILS',
  ELIGIBILITY = 'ELIGIBILITY',
  COMPLAINT = 'COMPLAINT',
  OTHER = 'OTHER',
}
registerEnumType(MessageTopic, {
  name: 'MessageTopic',
  description: 'What a message thread is about.',
  valuesConfig: {
    ATTENDANCE: { description: 'Attendance at appointments or activities.' },
    SIGNING: { description: 'Signing on at the Jobcentre, and changes to it.' },
    CONTACT_DETAILS: { description: "How to reach the participant." },
    ELIGIBILITY: { description: 'Whether the participant is eligible for the programme or the payment group.' },
    COMPLAINT: { description: 'A complaint by or about the participant, or between the organisations.' },
    OTHER: { description: 'Anything else: the subject says what.' },
  },
});

export enum MessageThreadStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
}
registerEnumType(MessageThreadStatus, {
  name: 'MessageThreadStatus',
  description:
    "A thread's lifecycle: OPEN → ANSWERED (a reply from the other side) or CLOSED; ANSWERED → OPEN (the starting side writes again) or CLOSED. CLOSED is final.",
  valuesConfig: {
    OPEN: { description: 'Waiting for an answer from the other side (the Jobcentre, or the chain).' },
    ANSWERED: { description: 'The other side answered last.' },
    CLOSED: { description: 'Closed by either side: it takes no more messages.' },
  },
});

/**
 * A thread's lifecycle, the one place it is written. A message from the side that did not start
 * the thread answers it; one from the starting side opens it again; either side closes it.
 */
export const MESSAGE_THREAD_TRANSITIONS: Transitions<MessageThreadStatus> = {
  [MessageThreadStatus.OPEN]: [MessageThreadStatus.OPEN, MessageThreadStatus.ANSWERED, MessageThreadStatus.CLOSED],
  [MessageThreadStatus.ANSWERED]: [MessageThreadStatus.OPEN, MessageThreadStatus.ANSWERED, MessageThreadStatus.CLOSED],
  [MessageThreadStatus.CLOSED]: [],
};

/** The status after a message: the two sides of a thread are the referring Jobcentre and the chain. */
export function statusAfterMessage(fromJobcentre: boolean, startedByJobcentre: boolean): MessageThreadStatus {
  return fromJobcentre === startedByJobcentre ? MessageThreadStatus.OPEN : MessageThreadStatus.ANSWERED;
}

/** The most contact points an organisation names for one CPA. */
export const MAX_CONTACT_POINTS = 10;
