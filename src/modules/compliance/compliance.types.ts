import { Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/pagination';
import { DateScalar } from '../../common/scalars';
import { UserError } from '../../common/user-error';
import { ComplianceDoubt } from './compliance-doubt.entity';
import { ComplianceDoubtStatus, ComplianceDoubtType, ComplianceOutcome, MandatoryActivityKind } from './doubt-states';

/** The same shape in and out: one class serves as both GraphQL types. */
@ObjectType()
@InputType('MandatoryActivityInput')
export class MandatoryActivity {
  @Field(() => MandatoryActivityKind)
  kind!: MandatoryActivityKind;

  @Field(() => String)
  description!: string;

  @Field(() => DateScalar)
  notifiedOn!: string;

  @Field(() => Boolean)
  notifiedInWriting!: boolean;

  @Field(() => Date)
  scheduledFor!: Date;
}

@ObjectType()
export class ComplianceDecisionRecord {
  @Field(() => ComplianceOutcome)
  outcome!: ComplianceOutcome;

  @Field(() => String)
  reason!: string;

  @Field(() => Int, { nullable: true })
  sanctionWeeks!: number | null;

  @Field(() => Date)
  decidedAt!: Date;
}

@ObjectType()
export class ComplianceDoubtEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => ComplianceDoubt)
  node!: ComplianceDoubt;
}

@ObjectType()
export class ComplianceDoubtConnection {
  @Extensions({ listSize: 1 })
  @Field(() => [ComplianceDoubtEdge])
  edges!: ComplianceDoubtEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType()
export class RaiseComplianceDoubtInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ComplianceDoubtType)
  type!: ComplianceDoubtType;

  @Field(() => DateScalar)
  occurredOn!: string;

  @Field(() => String)
  description!: string;

  @Field(() => MandatoryActivity, { nullable: true })
  mandatoryActivity?: MandatoryActivity | null;
}

@InputType()
export class SubmitComplianceDoubtInput {
  @Field(() => ID)
  complianceDoubtId!: string;
}

@InputType()
export class ReturnComplianceDoubtInput {
  @Field(() => ID)
  complianceDoubtId!: string;

  @Field(() => String)
  reason!: string;
}

@InputType()
export class WithdrawComplianceDoubtInput {
  @Field(() => ID)
  complianceDoubtId!: string;

  @Field(() => String)
  reason!: string;
}

@InputType()
export class DecideComplianceDoubtInput {
  @Field(() => ID)
  complianceDoubtId!: string;

  @Field(() => ComplianceOutcome)
  outcome!: ComplianceOutcome;

  @Field(() => String)
  reason!: string;
}

@ObjectType()
export class ComplianceDoubtPayload {
  @Field(() => ComplianceDoubt, { nullable: true })
  complianceDoubt!: ComplianceDoubt | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class ComplianceDoubtFilter {
  @Field(() => [ComplianceDoubtStatus], { nullable: true })
  status?: ComplianceDoubtStatus[] | null;

  @Field(() => Int, { nullable: true })
  cpaCode?: number | null;
}
