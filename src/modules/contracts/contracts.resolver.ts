import { Arg, Authorized, Ctx, Extensions, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Action } from '../../auth/policy';
import { ErrorCode, answersCodes } from '../../common/error-codes';
import { answer } from '../../common/payload';
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
  @Query(() => [Cpa], { description: 'Every CPA, by code. Any key.' })
  cpas(@Ctx() ctx: RequestContext): Promise<Cpa[]> {
    return contracts.listCpas(ctx.db);
  }

  @Authorized(Action.ReadRegistry)
  @Query(() => Cpa, { nullable: true, description: 'The CPA with this code; null when there is none. Any key.' })
  cpa(@Arg('code', () => Int, { description: "DWP's number for the CPA." }) code: number, @Ctx() ctx: RequestContext): Promise<Cpa | null> {
    return contracts.findCpaByCode(ctx.db, code);
  }

  @Extensions({ listSize: 5 })
  @FieldResolver(() => [PrimeContract], { description: 'Every prime contract of the CPA, past, present and future.' })
  contracts(@Root() cpa: Cpa, @Ctx() ctx: RequestContext): Promise<PrimeContract[]> {
    return ctx.loaders.contractsByCpa.load(cpa.id);
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => CreateCpaPayload, {
    description: `Creates a Contract Package Area. ADMIN. ${answersCodes(ErrorCode.INVALID_CPA_CODE, ErrorCode.NAME_REQUIRED, ErrorCode.DUPLICATE_CPA_CODE, ErrorCode.TOO_LONG)}`,
  })
  async createCpa(@Arg('input', () => CreateCpaInput, { description: 'The CPA.' }) input: CreateCpaInput, @Ctx() ctx: RequestContext): Promise<CreateCpaPayload> {
    return answer('cpa', () => contracts.createCpa(ctx.db, input));
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => AwardPrimeContractPayload, {
    description: `Awards a prime contract in a CPA; the CPA's contracts in force then share its new referrals equally in every payment group from the contract's first day (setMarketShares changes that). ADMIN. ${answersCodes(
      ErrorCode.UNKNOWN_CPA,
      ErrorCode.UNKNOWN_ORGANISATION,
      ErrorCode.NOT_A_PROVIDER,
      ErrorCode.REFERENCE_REQUIRED,
      ErrorCode.INVALID_CONTRACT_PERIOD,
      ErrorCode.PRIME_ALREADY_IN_CPA,
      ErrorCode.STARTS_BEFORE_CURRENT_SHARES,
      ErrorCode.DUPLICATE_CONTRACT_REFERENCE,
      ErrorCode.TOO_LONG,
    )}`,
  })
  async awardPrimeContract(
    @Arg('input', () => AwardPrimeContractInput, { description: 'The contract.' }) input: AwardPrimeContractInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AwardPrimeContractPayload> {
    return answer('contract', () => contracts.awardPrimeContract(ctx.db, input));
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => AddSubcontractorPayload, {
    description: `Gives a provider a place in a prime contract's supply chain. ADMIN. ${answersCodes(
      ErrorCode.UNKNOWN_CONTRACT,
      ErrorCode.UNKNOWN_ORGANISATION,
      ErrorCode.NOT_A_PROVIDER,
      ErrorCode.SUBCONTRACTOR_IS_PRIME,
      ErrorCode.UNKNOWN_SUBCONTRACT,
      ErrorCode.PARENT_ON_OTHER_CONTRACT,
      ErrorCode.PARENT_NOT_END_TO_END,
      ErrorCode.PARENT_ONLY_FOR_SPOT,
      ErrorCode.DUPLICATE_SUBCONTRACT,
      ErrorCode.TOO_LONG,
      ErrorCode.TOO_MANY,
    )}`,
  })
  async addSubcontractor(
    @Arg('input', () => AddSubcontractorInput, { description: 'The place.' }) input: AddSubcontractorInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AddSubcontractorPayload> {
    return answer('subcontract', () => contracts.addSubcontractor(ctx.db, input));
  }

  @Authorized(Action.ManageRegistry)
  @Mutation(() => SetMarketSharesPayload, {
    description: `Sets the shares of a CPA's new referrals in one payment group from a day on: random allocation draws by them. ADMIN. ${answersCodes(
      ErrorCode.UNKNOWN_CPA,
      ErrorCode.NO_CONTRACT_IN_FORCE,
      ErrorCode.CONTRACT_NOT_IN_FORCE_IN_CPA,
      ErrorCode.DUPLICATE_SHARE,
      ErrorCode.INVALID_SHARE,
      ErrorCode.MISSING_SHARE,
      ErrorCode.SHARES_NOT_10000,
      ErrorCode.TOO_MANY,
    )}`,
  })
  async setMarketShares(
    @Arg('input', () => SetMarketSharesInput, { description: 'The CPA, payment group, day and shares.' }) input: SetMarketSharesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SetMarketSharesPayload> {
    return answer('marketShares', () => contracts.setMarketShares(ctx.db, input));
  }
}

@Resolver(() => PrimeContract)
export class PrimeContractResolver {
  @FieldResolver(() => Cpa, { description: 'The CPA the contract is for.' })
  async cpa(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<Cpa> {
    return (await ctx.loaders.cpa.load(contract.cpaId))!;
  }

  @FieldResolver(() => Organisation, { description: 'The prime provider holding the contract.' })
  async prime(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(contract.primeId))!;
  }

  @Extensions({ listSize: 10 })
  @FieldResolver(() => [Subcontract], { description: "The places in the contract's supply chain." })
  subcontracts(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<Subcontract[]> {
    return ctx.loaders.subcontractsByContract.load(contract.id);
  }

  @Extensions({ listSize: 30 })
  @FieldResolver(() => [MarketShare], { description: "The contract's market shares, every set (past ones included)." })
  marketShares(@Root() contract: PrimeContract, @Ctx() ctx: RequestContext): Promise<MarketShare[]> {
    return ctx.loaders.marketSharesByContract.load(contract.id);
  }
}

@Resolver(() => Subcontract)
export class SubcontractResolver {
  @FieldResolver(() => PrimeContract, { description: 'The prime contract this place is on.' })
  async contract(@Root() subcontract: Subcontract, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(subcontract.contractId))!;
  }

  @FieldResolver(() => Organisation, { description: 'The provider holding the place.' })
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
  @FieldResolver(() => PrimeContract, { description: 'The contract the share is of.' })
  async contract(@Root() share: MarketShare, @Ctx() ctx: RequestContext): Promise<PrimeContract> {
    return (await ctx.loaders.primeContract.load(share.contractId))!;
  }
}

/** An organisation's places in the registry: the contracts it holds as prime and its subcontracts. */
@Resolver(() => Organisation)
export class OrganisationContractsResolver {
  @Extensions({ listSize: 10 })
  @FieldResolver(() => [PrimeContract], { description: 'The contracts it holds as prime.' })
  primeContracts(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<PrimeContract[]> {
    return ctx.loaders.contractsByPrime.load(organisation.id);
  }

  @FieldResolver(() => Cpa, { nullable: true, description: 'For a Jobcentre: the CPA whose districts it serves, the only one it refers into; null otherwise, or not yet placed.' })
  cpa(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<Cpa | null> {
    return organisation.cpaId ? ctx.loaders.cpa.load(organisation.cpaId) : Promise.resolve(null);
  }

  @Extensions({ listSize: 20 })
  @FieldResolver(() => [Subcontract], { description: "Its places in prime contracts' supply chains." })
  subcontracts(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<Subcontract[]> {
    return ctx.loaders.subcontractsBySubcontractor.load(organisation.id);
  }
}
