import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action, authorize } from '../../auth/policy';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer as KeyViewer } from '../../auth/viewer';
import { isUuid } from '../../common/ids';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { After, First } from '../../common/pagination';
import { answer } from '../../common/payload';
import type { RequestContext } from '../../server/context';
import { ApiKey, apiKeyStatus } from './api-key.entity';
import { ApiKeyStatus } from './identity.enums';
import * as identity from './identity.service';
import {
  ApiKeyConnection,
  ApiKeyFilter,
  IssueApiKeyInput,
  IssueApiKeyPayload,
  RegisterOrganisationInput,
  RegisterOrganisationPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
  Viewer,
} from './identity.types';
import { Organisation } from './organisation.entity';

@Resolver(() => Organisation)
export class IdentityResolver {
  @Query(() => Viewer, { description: 'Who you are: the organisation and role of your key. Any key.' })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    authorize(ctx.viewer, Action.ReadViewer);
    return { organisation: ctx.viewer.organisation, role: ctx.viewer.role };
  }

  @Authorized(Action.ReadRegistry)
  @Query(() => Organisation, { nullable: true, description: 'One organisation of the registry; null for an unknown id. Any key.' })
  organisation(@Arg('id', () => ID, { description: "The organisation's id." }) id: string, @Ctx() ctx: RequestContext): Promise<Organisation | null> {
    return isUuid(id) ? ctx.loaders.organisation.load(id) : Promise.resolve(null);
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => RegisterOrganisationPayload, {
    description: `Registers DWP, a Jobcentre (in the CPA it serves) or a provider. ADMIN. ${answersCodes(
      ErrorCode.NAME_REQUIRED,
      ErrorCode.DUPLICATE_ORGANISATION,
      ErrorCode.CPA_ONLY_FOR_JOBCENTRE,
      ErrorCode.UNKNOWN_CPA,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async registerOrganisation(
    @Arg('input', () => RegisterOrganisationInput, { description: 'The organisation.' }) input: RegisterOrganisationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RegisterOrganisationPayload> {
    return answer('organisation', () => identity.registerOrganisation(ctx.db, input));
  }

  @Authorized(Action.IssueApiKey)
  @Mutation(() => IssueApiKeyPayload, {
    description: `Issues a key for an organisation; its secret is in the answer, once, and stored only as a hash. ADMIN. ${answersCodes(
      ErrorCode.UNKNOWN_ORGANISATION,
      ErrorCode.ROLE_NOT_FOR_ORGANISATION_KIND,
      ErrorCode.EXPIRY_IN_PAST,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async issueApiKey(@Arg('input', () => IssueApiKeyInput, { description: 'The key to issue.' }) input: IssueApiKeyInput, @Ctx() ctx: RequestContext, @CurrentViewer() viewer: KeyViewer): Promise<IssueApiKeyPayload> {
    // The service answers the key and its secret; the payload holds them side by side.
    const { apiKey: issued, userErrors } = await answer('apiKey', () => identity.issueApiKey(ctx.db, input, viewer.apiKeyId));
    return { apiKey: issued?.apiKey ?? null, secret: issued?.secret ?? null, userErrors };
  }

  @Authorized(Action.ManageApiKeys)
  @Mutation(() => RevokeApiKeyPayload, {
    description:
      'Revokes a key at once: from the next request every API process refuses it (REVOKED), and its open WebSocket sessions end. ' +
      `Revoking a revoked key changes nothing and answers it. ADMIN. ${answersCodes(ErrorCode.UNKNOWN_API_KEY, ErrorCode.REASON_REQUIRED, ErrorCode.TOO_LONG)}`,
  })
  async revokeApiKey(
    @Arg('input', () => RevokeApiKeyInput, { description: 'The key and why.' }) input: RevokeApiKeyInput,
    @Ctx() ctx: RequestContext,
    @CurrentViewer() viewer: KeyViewer,
  ): Promise<RevokeApiKeyPayload> {
    return answer('apiKey', () => identity.revokeApiKey(ctx.db, viewer, input));
  }

  @Authorized(Action.ManageApiKeys)
  @Query(() => ApiKeyConnection, {
    description: 'Every API key, oldest first: label, role, organisation, issuer, dates and status, never a secret or its hash. ADMIN.',
  })
  async apiKeys(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ApiKeyFilter, { nullable: true, description: 'Which keys; all without it.' }) filter?: ApiKeyFilter | null,
    @First() first?: number | null,
    @After('The `cursor` of the last key read; from the first key without it. A cursor this list did not give out is BAD_USER_INPUT.')
    after?: string | null,
  ): Promise<ApiKeyConnection> {
    return identity.listApiKeys(ctx.db, filter ?? {}, { first, after });
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation the key acts for.' })
  async organisation(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(key.organisationId))!;
  }

  @FieldResolver(() => ApiKey, {
    nullable: true,
    description: 'The key whose holder issued this one; null for the bootstrap key and keys made by `npm run seed`.',
  })
  issuedBy(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<ApiKey | null> {
    return key.issuedById ? ctx.loaders.apiKey.load(key.issuedById) : Promise.resolve(null);
  }

  @FieldResolver(() => ApiKey, { nullable: true, description: 'The key whose holder revoked this one; null when not revoked, or retired at start.' })
  revokedBy(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<ApiKey | null> {
    return key.revokedById ? ctx.loaders.apiKey.load(key.revokedById) : Promise.resolve(null);
  }

  @FieldResolver(() => ApiKeyStatus, { description: 'Whether the key authenticates now.' })
  status(@Root() key: ApiKey): ApiKeyStatus {
    return apiKeyStatus(key);
  }
}
