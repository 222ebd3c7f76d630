import { Arg, Authorized, Ctx, Extensions, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action } from '../../auth/policy';
import { attempt } from '../../common/user-error';
import type { RequestContext } from '../../server/context';
import { Organisation } from '../identity/organisation.entity';
import * as contracts from './contracts.service';
import {
  AddSubcontractorInput,
  AddSubcontractorPayload,
  AwardPrimeContractInput,
  AwardPrimeContractPayload,
  CreateCpaInput,
  CreateCpaPayload,
  SetMarketSharesInput,
  SetMarketSharesPayload,
} from './contracts.types';
import { Cpa } from './cpa.entity';
import { MarketShare } from './market-share.entity';
import { PrimeContract } from './prime-contract.entity';
import { Subcontract } from './subcontract.entity';

/** Reads and admin mutations of the contract registry. Rules live in contracts.service. */
@Resolver(() => Cpa)
export class CpaResolver {
  @Extensions({ listSize: 20 })
  @Authorized(Action.ReadRegistry)
  @Query(() => [Cpa])
  cpas(@Ctx() ctx: RequestContext): Promise<Cpa[]> {
    return contracts.listCpas(ctx.db);
  }

  @Authorized(Action.ReadRegistry)
  @Query(() => Cpa, { nullable: true })
  cpa(@Arg('code', () => Int) code: number, @Ctx() ctx: RequestContext): Promise<Cpa | null> {
    return contracts.findCpaByCode(ctx.db, code);
  }

  @Extensions({ listSize: 5 })
  @FieldResolver(() => [PrimeContract])
  contracts(@Root() cpa: Cpa, @Ctx() ctx: RequestContext): Promise<PrimeContract[]> {
    return ctx.loaders.contractsByCpa.load(cpa.id);
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => CreateCpaPayload)
  async createCpa(@Arg('input', () => CreateCpaInput) input: CreateCpaInput, @Ctx() ctx: RequestContext): Promise<CreateCpaPayload> {
    const { value, userErrors } = await attempt(() => contracts.createCpa(ctx.db, input));
    return { cpa: value, userErrors };
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => AwardPrimeContractPayload)
  async awardPrimeContract(
    @Arg('input', () => AwardPrimeContractInput) input: AwardPrimeContractInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AwardPrimeContractPayload> {
    const { value, userErrors } = await attempt(() => contracts.awardPrimeContract(ctx.db, input));
    return { contract: value, userErrors };
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => AddSubcontractorPayload)
  async addSubcontractor(
    @Arg('input', () => AddSubcontractorInput) input: AddSubcontractorInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AddSubcontractorPayload> {
    const { value, userErrors } = await attempt(() => contracts.addSubcontractor(ctx.db, input));
    return { subcontract: value, userErrors };
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => SetMarketSharesPayload)
  async setMarketShares(
    @Arg('input', () => SetMarketSharesInput) input: SetMarketSharesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SetMarketSharesPayload> {
    const { value, userErrors } = await attempt(() => contracts.setMarketShares(ctx.db, input));
    return { marketShares: value, userErrors };
  }
}

@Resolver(() => PrimeContract)
export class PrimeContractResolver {
  @FieldResolver(() => Cpa)
  async cpa(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<Cpa> {
    return (await ctx.loaders.cpa.load(contract.cpaId))!;
  }

  @FieldResolver(() => Organisation)
  async prime(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(contract.primeId))!;
  }

  @Extensions({ listSize: 10 })
  @FieldResolver(() => [Subcontract])
  subcontracts(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<Subcontract[]> {
    return ctx.loaders.subcontractsByContract.load(contract.id);
  }

  @Extensions({ listSize: 30 })
  @FieldResolver(() => [MarketShare])
  marketShares(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<MarketShare[]> {
    return ctx.loaders.marketSharesByContract.load(contract.id);
  }
}

@Resolver(() => Subcontract)
export class SubcontractResolver {
  @FieldResolver(() => PrimeContract)
  async contract(@Root() subcontract: Subcontract, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(subcontract.contractId))!;
  }

  @FieldResolver(() => Organisation)
  async subcontractor(@Root() subcontract: Subcontract, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(subcontract.subcontractorId))!;
  }

  @FieldResolver(() => Subcontract, {
    nullable: true,
    description: 'Set when this place in the chain was commissioned by an end-to-end subcontractor, not by the prime.',
  })
  parent(@Root() subcontract: Subcontract, @Ctx() ctx: RequestContext): Promise<Subcontract | null> {
    return subcontract.parentId ? ctx.loaders.subcontract.load(subcontract.parentId) : Promise.resolve(null);
  }
}

@Resolver(() => MarketShare)
export class MarketShareResolver {
  @FieldResolver(() => PrimeContract)
  async contract(@Root() share: MarketShare, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(share.contractId))!;
  }
}

/** An organisation's places in the registry: the contracts it holds as prime and its subcontracts. */
@Resolver(() => Organisation)
export class OrganisationContractsResolver {
  @Extensions({ listSize: 10 })
  @FieldResolver(() => [PrimeContract])
  primeContracts(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<PrimeContract[]> {
    return ctx.loaders.contractsByPrime.load(organisation.id);
  }

  @Extensions({ listSize: 20 })
  @FieldResolver(() => [Subcontract])
  subcontracts(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<Subcontract[]> {
    return ctx.loaders.subcontractsBySubcontractor.load(organisation.id);
  }
}
