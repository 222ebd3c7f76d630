import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/pagination';
import { UserError } from '../../common/user-error';
import { ApiKey } from './api-key.entity';
import { ApiKeyStatus, OrganisationKind, Role } from './identity.enums';
import { MAX_REVOCATION_REASON } from './identity.service';
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

  @Field(() => Date, {
    nullable: true,
    description:
      'When the key stops working (optional; without it the key works until revoked). Requests after it are refused as EXPIRED and open WebSocket sessions end. EXPIRY_IN_PAST when not in the future.',
  })
  expiresAt?: Date | null;
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

@InputType({ description: 'Which key to revoke, and why.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'The key (`ApiKey.id`, from `apiKeys` or `issueApiKey`; not its secret). UNKNOWN_API_KEY when no key has it.' })
  apiKeyId!: string;

  @Field(() => String, {
    description: `Why, for the people who read \`apiKeys\` (e.g. "rotated", "laptop lost"). REASON_REQUIRED when blank; at most ${MAX_REVOCATION_REASON} characters (TOO_LONG).`,
  })
  reason!: string;
}

@ObjectType({ description: 'The answer to `revokeApiKey`.' })
export class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The revoked key; for a key revoked already, as its first revocation left it. Null with userErrors.' })
  apiKey!: ApiKey | null;

  @Field(() => [UserError], { description: 'UNKNOWN_API_KEY, REASON_REQUIRED, TOO_LONG.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Which keys `apiKeys` lists; every key without it.' })
export class ApiKeyFilter {
  @Field(() => ID, { nullable: true, description: "Only this organisation's keys." })
  organisationId?: string | null;

  @Field(() => [ApiKeyStatus], { nullable: true, description: 'Only keys in one of these states (at most 3).' })
  status?: ApiKeyStatus[] | null;
}

@ObjectType({ description: 'A key in a page of `apiKeys`.' })
export class ApiKeyEdge {
  @Field(() => String, { description: 'Pass as `after` to read the keys issued after this one.' })
  cursor!: string;

  @Field(() => ApiKey, { description: 'The key (never its secret).' })
  node!: ApiKey;
}

@ObjectType({ description: 'A page of API keys, oldest first.' })
export class ApiKeyConnection {
  @Field(() => [ApiKeyEdge], { description: 'The keys of this page.' })
  edges!: ApiKeyEdge[];

  @Field(() => PageInfo, { description: 'Whether more keys follow, and the cursor to read them from.' })
  pageInfo!: PageInfo;
}
