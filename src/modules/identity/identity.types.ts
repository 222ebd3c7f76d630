import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../common/user-error';
import { ApiKey } from './api-key.entity';
import { OrganisationKind, Role } from './identity.enums';
import { Organisation } from './organisation.entity';

@ObjectType()
export class Viewer {
  @Field(() => Organisation)
  organisation!: Organisation;

  @Field(() => Role)
  role!: Role;
}

@InputType()
export class RegisterOrganisationInput {
  @Field(() => String)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;
}

@ObjectType()
export class RegisterOrganisationPayload {
  @Field(() => Organisation, { nullable: true })
  organisation!: Organisation | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class IssueApiKeyInput {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true })
  label?: string | null;
}

@ObjectType()
export class IssueApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey!: ApiKey | null;

  @Field(() => String, { nullable: true, description: 'The bearer secret; shown once, stored only as a hash.' })
  secret!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
