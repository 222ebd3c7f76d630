import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action, authorize } from '../../auth/policy';
import { isUuid } from '../../common/ids';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { attempt } from '../../common/user-error';
import type { RequestContext } from '../../server/context';
import { ApiKey } from './api-key.entity';
import * as identity from './identity.service';
import {
  IssueApiKeyInput,
  IssueApiKeyPayload,
  RegisterOrganisationInput,
  RegisterOrganisationPayload,
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
    description: `Registers DWP, a Jobcentre or a provider. ADMIN. ${answersCodes(ErrorCode.NAME_REQUIRED, ErrorCode.DUPLICATE_ORGANISATION, ErrorCode.TOO_LONG)}`,
  })
  async registerOrganisation(
    @Arg('input', () => RegisterOrganisationInput, { description: 'The organisation.' }) input: RegisterOrganisationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RegisterOrganisationPayload> {
    const { value, userErrors } = await attempt(() => identity.registerOrganisation(ctx.db, input));
    return { organisation: value, userErrors };
  }

  @Authorized(Action.IssueApiKey)
  @Mutation(() => IssueApiKeyPayload, {
    description: `Issues a key for an organisation; its secret is in the answer, once, and stored only as a hash. ADMIN. ${answersCodes(
      ErrorCode.UNKNOWN_ORGANISATION,
      ErrorCode.ROLE_NOT_FOR_ORGANISATION_KIND,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async issueApiKey(@Arg('input', () => IssueApiKeyInput, { description: 'The key to issue.' }) input: IssueApiKeyInput, @Ctx() ctx: RequestContext): Promise<IssueApiKeyPayload> {
    const { value, userErrors } = await attempt(() => identity.issueApiKey(ctx.db, input));
    return { apiKey: value?.apiKey ?? null, secret: value?.secret ?? null, userErrors };
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation the key acts for.' })
  async organisation(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(key.organisationId))!;
  }
}
