import { Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LIMITS, Limit } from '../../common/input-limits';
import { PageInfo } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { UserError } from '../../common/user-error';
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
export class MessageThreadPayload {
  @Field(() => MessageThread, { nullable: true, description: 'The thread as changed; null when userErrors is not empty.' })
  messageThread!: MessageThread | null;

  @Field(() => [UserError], { description: 'Why nothing was changed; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'A message thread in a list, with its cursor.' })
export class MessageThreadEdge {
  @Field(() => String, { description: 'Pass as `after` to read the threads after this one.' })
  cursor!: string;

  @Field(() => MessageThread, { description: 'The thread.' })
  node!: MessageThread;
}

@ObjectType({ description: "A page of a referral's message threads, oldest first." })
export class MessageThreadConnection {
  @Extensions({ listSize: 1 })
  @Field(() => [MessageThreadEdge], { description: 'The threads of this page.' })
  edges!: MessageThreadEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to read them from.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many threads the referral has.' })
  totalCount!: number;
}

@ObjectType({ description: 'A message in a list, with its cursor.' })
export class MessageEdge {
  @Field(() => String, { description: 'Pass as `after` to read the messages after this one.' })
  cursor!: string;

  @Field(() => Message, { description: 'The message.' })
  node!: Message;
}

@ObjectType({ description: "A page of a thread's messages, oldest first." })
export class MessageConnection {
  @Extensions({ listSize: 1 })
  @Field(() => [MessageEdge], { description: 'The messages of this page.' })
  edges!: MessageEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to read them from.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many messages the thread has.' })
  totalCount!: number;
}

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
export class SetContactPointsPayload {
  @Extensions({ listSize: MAX_CONTACT_POINTS })
  @Field(() => [ContactPoint], { nullable: true, description: 'Your contact points for the CPA as stored; null when userErrors is not empty.' })
  contactPoints!: ContactPoint[] | null;

  @Field(() => [UserError], { description: 'Why nothing was changed; empty on success.' })
  userErrors!: UserError[];
}
