import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Limit } from '../../common/input-limits';
import { UserError } from '../../common/user-error';
import { ApiKey } from './api-key.entity';
import { OrganisationKind, Role } from './identity.enums';
import { Organisation } from './organisation.entity';

@ObjectType({ description: 'Who the request is made as: the organisation and role of the key it carries.' })
export class Viewer {
  @Field(() => Organisation, { description: "The key's organisation: everything the key does is on its behalf." })
  organisation!: Organisation;

  @Field(() => Role, { description: "The key's role." })
  role!: Role;
}

@InputType({ description: 'A new organisation.' })
export class RegisterOrganisationInput {
  @Field(() => String, { description: 'Its name, unique within its kind in any letter case (trimmed).' })
  @Limit({ chars: 160 }) // the longest name Companies House registers
  name!: string;

  @Field(() => OrganisationKind, { description: 'What it is; it decides the roles its keys may have.' })
  kind!: OrganisationKind;
}

@ObjectType({ description: 'The answer to `registerOrganisation`.' })
export class RegisterOrganisationPayload {
  @Field(() => Organisation, { nullable: true, description: 'The organisation registered; null when userErrors is not empty.' })
  organisation!: Organisation | null;

  @Field(() => [UserError], { description: 'Why nothing was registered; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new key.' })
export class IssueApiKeyInput {
  @Field(() => ID, { description: 'The organisation the key acts for.' })
  organisationId!: string;

  @Field(() => Role, { description: "What the key may do; it must suit the organisation's kind (Role says which)." })
  role!: Role;

  @Field(() => String, { nullable: true, description: 'A name for people, e.g. the system that will hold the key.' })
  @Limit({ chars: 100 })
  label?: string | null;
}

@ObjectType({ description: 'The answer to `issueApiKey`.' })
export class IssueApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key issued; null when userErrors is not empty.' })
  apiKey!: ApiKey | null;

  @Field(() => String, { nullable: true, description: 'The bearer secret; shown once, stored only as a hash.' })
  secret!: string | null;

  @Field(() => [UserError], { description: 'Why no key was issued; empty on success.' })
  userErrors!: UserError[];
}
