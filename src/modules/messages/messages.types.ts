import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LIMITS, Limit } from '../../common/input-limits';
import { CountedConnection } from '../../common/pagination';
import { Payload } from '../../common/payload';
import { DateScalar } from '../../common/scalars';
import { ContactPoint } from './contact-point.entity';
import { Message } from './message.entity';
import { MessageThread } from './message-thread.entity';
import { MAX_CONTACT_POINTS, MessageTopic } from './thread-states';

@InputType({ description: 'A new message thread about a referral, with its first message.' })
export class StartMessageThreadInput {
  @Field(() => ID, { description: 'The referral: one you made (JOBCENTRE), or one your organisation holds as prime or through a live handoff (PROVIDER).' })
  referralId!: string;

  @Field(() => MessageTopic, { description: 'What it is about.' })
  topic!: MessageTopic;

  @Field(() => String, { nullable: true, description: 'The subject: required, except on a restricted (MAPPA) record, which takes none.' })
  @Limit({ chars: 200 })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'The first message: required, except on a restricted (MAPPA) record, which takes none.' })
  @Limit(LIMITS.freeText)
  body?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day an answer is wanted by: today or later.' })
  dueOn?: string | null;
}

@InputType({ description: 'A message on a thread.' })
export class ReplyToMessageThreadInput {
  @Field(() => ID, { description: 'A thread that is not CLOSED, on a referral your organisation is a party to now.' })
  messageThreadId!: string;

  @Field(() => String, { nullable: true, description: 'The message: required, except on a restricted (MAPPA) record, which takes none.' })
  @Limit(LIMITS.freeText)
  body?: string | null;
}

@InputType({ description: 'A thread to close.' })
export class CloseMessageThreadInput {
  @Field(() => ID, { description: 'A thread that is not CLOSED, on a referral your organisation is a party to now.' })
  messageThreadId!: string;
}

@ObjectType({ description: 'The answer to a change of a message thread.' })
export class MessageThreadPayload extends Payload('messageThread', () => MessageThread, {
  field: 'The thread as changed; null when userErrors is not empty.',
  userErrors: 'Why nothing was changed; empty on success.',
}) {}

@ObjectType({ description: "A page of a referral's message threads, oldest first." })
export class MessageThreadConnection extends CountedConnection(MessageThread, {
  edge: {
    name: 'MessageThreadEdge',
    description: 'A message thread in a list, with its cursor.',
    cursor: 'Pass as `after` to read the threads after this one.',
    node: 'The thread.',
  },
  edges: 'The threads of this page.',
  pageInfo: 'Whether more follow, and the cursor to read them from.',
  totalCount: 'How many threads the referral has.',
}) {}

@ObjectType({ description: "A page of a thread's messages, oldest first." })
export class MessageConnection extends CountedConnection(Message, {
  edge: {
    name: 'MessageEdge',
    description: 'A message in a list, with its cursor.',
    cursor: 'Pass as `after` to read the messages after this one.',
    node: 'The message.',
  },
  edges: 'The messages of this page.',
  pageInfo: 'Whether more follow, and the cursor to read them from.',
  totalCount: 'How many messages the thread has.',
}) {}

@InputType({ description: 'Someone to contact about your work in a CPA.' })
export class ContactPointInput {
  @Field(() => String, { description: 'Their name, or a team\'s ("Referrals desk"): required.' })
  @Limit({ chars: 100 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What they do, e.g. "Performance manager".' })
  @Limit({ chars: 100 })
  role?: string | null;

  @Field(() => String, { description: 'Their work email address.' })
  @Limit({ chars: 254 }) // the longest address SMTP carries
  email!: string;

  @Field(() => String, { nullable: true, description: 'Their work phone number: digits, spaces and + ( ) -.' })
  @Limit({ chars: 30 })
  phone?: string | null;
}

@InputType({ description: "Your organisation's contact points for one CPA." })
export class SetContactPointsInput {
  @Field(() => Int, { description: 'The CPA, by code.' })
  cpaCode!: number;

  @Field(() => [ContactPointInput], { description: 'The whole list, in the order readers should try them; it replaces the earlier one. Empty removes them.' })
  @Limit({ items: MAX_CONTACT_POINTS })
  contactPoints!: ContactPointInput[];
}

@ObjectType({ description: 'The answer to setContactPoints.' })
export class SetContactPointsPayload extends Payload('contactPoints', () => [ContactPoint], {
  field: 'Your contact points for the CPA as stored; null when userErrors is not empty.',
  userErrors: 'Why nothing was changed; empty on success.',
}) {}
