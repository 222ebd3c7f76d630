import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { PaymentGroup } from './contracts.enums';

/** A contract's share of a CPA's new referrals in one payment group, from a date until the next. */
@ObjectType({ description: "A contract's share of a CPA's new referrals in one payment group, from a day until the next set." })
@Entity('market_share')
export class MarketShare {
  @PrimaryColumn('uuid', { name: 'contract_id' })
  contractId!: string;

  @Field(() => PaymentGroup, { description: 'The payment group the share is for.' })
  @PrimaryColumn('text', { name: 'payment_group' })
  paymentGroup!: PaymentGroup;

  @Field(() => DateScalar, { description: 'In force from this day until the next set of the CPA and payment group.' })
  @PrimaryColumn('date', { name: 'effective_from' })
  effectiveFrom!: string;

  @Field(() => Int, {
    description: 'Share of new referrals, in basis points; the shares of one CPA and payment group sum to 10000.',
  })
  @Column('int', { name: 'share_basis_points' })
  shareBasisPoints!: number;
}
