import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Limit, LIMITS, oneOfEach } from '../../common/input-limits';
import { Connection } from '../../common/pagination';
import { Payload } from '../../common/payload';
import { ApiKey } from './api-key.entity';
import { Role } from '../../auth/access.enums';
import { ApiKeyStatus, OrganisationKind } from './identity.enums';
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

  @Field(() => Int, {
    nullable: true,
    description: 'For a Jobcentre: the code of the CPA whose districts it serves, the only one it refers into (optional; a Jobcentre without one is not held to a CPA).',
  })
  cpaCode?: number | null;
}

@ObjectType({ description: 'The answer to `registerOrganisation`.' })
export class RegisterOrganisationPayload extends Payload('organisation', () => Organisation, {
  field: 'The organisation registered; null when userErrors is not empty.',
  userErrors: 'Why nothing was registered; empty on success.',
}) {}

@InputType({ description: 'A new key.' })
export class IssueApiKeyInput {
  @Field(() => ID, { description: 'The organisation the key acts for.' })
  organisationId!: string;

  @Field(() => Role, { description: "What the key may do; it must suit the organisation's kind (Role says which)." })
  role!: Role;

  @Field(() => String, { nullable: true, description: 'A name for people, e.g. the system that will hold the key.' })
  @Limit({ chars: 100 })
  label?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the key stops working (optional; without it the key works until revoked). Requests after it are refused as EXPIRED and open WebSocket sessions end. EXPIRY_IN_PAST when not in the future.',
  })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'The answer to `issueApiKey`.' })
export class IssueApiKeyPayload extends Payload('apiKey', () => ApiKey, {
  field: 'The key issued; null when userErrors is not empty.',
  userErrors: 'Why no key was issued; empty on success.',
}) {
  @Field(() => String, { nullable: true, description: 'The bearer secret; shown once, stored only as a hash.' })
  secret!: string | null;
}

@InputType({ description: 'Which key to revoke, and why.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'The key (`ApiKey.id`, from `apiKeys` or `issueApiKey`; not its secret). UNKNOWN_API_KEY when no key has it.' })
  apiKeyId!: string;

  @Field(() => String, {
    description: 'Why, for the people who read `apiKeys` (e.g. "rotated", "laptop lost"). REASON_REQUIRED when blank; TOO_LONG past the limit.',
  })
  @Limit(LIMITS.freeText)
  reason!: string;
}

@ObjectType({ description: 'The answer to `revokeApiKey`.' })
export class RevokeApiKeyPayload extends Payload('apiKey', () => ApiKey, {
  field: 'The revoked key; for a key revoked already, as its first revocation left it. Null with userErrors.',
  userErrors: 'UNKNOWN_API_KEY, REASON_REQUIRED, TOO_LONG.',
}) {}

@InputType({ description: 'Which keys `apiKeys` lists; every key without it.' })
export class ApiKeyFilter {
  @Field(() => ID, { nullable: true, description: "Only this organisation's keys." })
  organisationId?: string | null;

  @Field(() => [ApiKeyStatus], { nullable: true, description: 'Only keys in one of these states.' })
  @Limit(oneOfEach(ApiKeyStatus))
  status?: ApiKeyStatus[] | null;
}

@ObjectType({ description: 'A page of API keys, oldest first.' })
export class ApiKeyConnection extends Connection(ApiKey, {
  edge: {
    name: 'ApiKeyEdge',
    description: 'A key in a page of `apiKeys`.',
    cursor: 'Pass as `after` to read the keys issued after this one.',
    node: 'The key (never its secret).',
  },
  edges: 'The keys of this page.',
  pageInfo: 'Whether more keys follow, and the cursor to read them from.',
}) {}
