import { Field, ObjectType } from 'type-graphql';
import { type ErrorCode, errorCodesDescription } from './error-codes';

/** A rule broken by the caller's data. `code` is stable: partners branch on it. */
@ObjectType({
  description:
    "A rule the mutation's input broke. Nothing of the mutation was written; every broken rule is listed, not only the first.",
})
export class UserError {
  @Field(() => [String], {
    nullable: true,
    description:
      'Path to the input field at fault, from the mutation input (in submitReferrals, from the referral); list positions are numbers in strings, e.g. ["standards", "2", "metric"].',
  })
  field?: string[];

  @Field(() => String, { description: 'For people: what is wrong, in English. May change; branch on `code`.' })
  message!: string;

  @Field(() => String, { description: errorCodesDescription() })
  code!: string;
}

export function userError(code: ErrorCode, message: string, field?: Array<string | number>): UserError {
  return { code, message, field: field?.map(String) };
}

/**
 * Thrown by a service when the caller's data breaks a rule. Thrown inside the transaction,
 * it rolls back everything the mutation wrote, so a refused write leaves nothing behind.
 */
export class RuleViolation extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => `${e.code}: ${e.message}`).join('; '));
    this.name = 'RuleViolation';
  }
}

/** Throws a RuleViolation when any rule was broken; services collect errors, then call this. */
export function assertNoUserErrors(errors: UserError[]): void {
  if (errors.length > 0) throw new RuleViolation(errors);
}

export function refuse(code: ErrorCode, message: string, field?: Array<string | number>): never {
  throw new RuleViolation([userError(code, message, field)]);
}
