import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action, authorize } from '../../auth/policy';
import { isUuid } from '../../common/ids';
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
  @Query(() => Viewer)
  viewer(@Ctx() ctx: RequestContext): Viewer {
    authorize(ctx.viewer, Action.ReadViewer);
    return { organisation: ctx.viewer.organisation, role: ctx.viewer.role };
  }

  @Authorized(Action.ReadRegistry)
  @Query(() => Organisation, { nullable: true })
  organisation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Organisation | null> {
    return isUuid(id) ? ctx.loaders.organisation.load(id) : Promise.resolve(null);
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => RegisterOrganisationPayload)
  async registerOrganisation(
    @Arg('input', () => RegisterOrganisationInput) input: RegisterOrganisationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RegisterOrganisationPayload> {
    const { value, userErrors } = await attempt(() => identity.registerOrganisation(ctx.db, input));
    return { organisation: value, userErrors };
  }

  @Authorized(Action.IssueApiKey)
  @Mutation(() => IssueApiKeyPayload)
  async issueApiKey(@Arg('input', () => IssueApiKeyInput) input: IssueApiKeyInput, @Ctx() ctx: RequestContext): Promise<IssueApiKeyPayload> {
    const { value, userErrors } = await attempt(() => identity.issueApiKey(ctx.db, input));
    return { apiKey: value?.apiKey ?? null, secret: value?.secret ?? null, userErrors };
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => Organisation)
  async organisation(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(key.organisationId))!;
  }
}
