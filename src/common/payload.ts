import { type ClassType, Field, ObjectType } from 'type-graphql';
import { RuleViolation, UserError } from './user-error';

/** What a payload's field holds: one object, or a list of them. */
type Held<C> = C extends [ClassType<infer T>] ? T[] : C extends ClassType<infer T> ? T : never;

/** A mutation's answer: what it wrote under `field` (null when refused), and why it refused. */
export type Answer<K extends string, T> = { [P in K]: T | null } & { userErrors: UserError[] };

/**
 * The payload type of a mutation (type-graphql's generic types): a concrete class extends it and
 * names the type, `class ReferralPayload extends Payload('referral', () => Referral, …)`. Every
 * payload is the object written, null when refused, and `userErrors`; only the descriptions differ.
 */
export function Payload<K extends string, C extends ClassType | [ClassType]>(
  field: K,
  type: () => C,
  descriptions: { field: string; userErrors: string },
) {
  @ObjectType()
  abstract class PayloadClass {
    @Field(() => [UserError], { description: descriptions.userErrors })
    userErrors!: UserError[];
  }
  // The field's name is the caller's: decorated by hand, as a decorator cannot name a property.
  Field(type, { nullable: true, description: descriptions.field })(PayloadClass.prototype, field);
  return PayloadClass as unknown as abstract new () => Answer<K, Held<C>>;
}

/**
 * Runs a mutation's service call and answers it: what it wrote under `field`, or, when it
 * refused (a RuleViolation, its transaction rolled back), null and its user errors. Anything else
 * is a fault and propagates (masked by the server's error formatter).
 */
export async function answer<K extends string, T>(field: K, run: () => Promise<T>): Promise<Answer<K, T>> {
  try {
    return { [field]: await run(), userErrors: [] } as Answer<K, T>;
  } catch (error) {
    if (error instanceof RuleViolation) return { [field]: null, userErrors: error.userErrors } as Answer<K, T>;
    throw error;
  }
}
