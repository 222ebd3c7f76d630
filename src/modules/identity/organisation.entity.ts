import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { OrganisationKind } from './identity.enums';

/** DWP, a Jobcentre Plus office or district, or a provider. Roles in a chain belong to contracts, not here. */
@ObjectType({
  implements: Node,
  description: 'DWP, a Jobcentre Plus office or district, or a provider. Whether a provider is a prime or a subcontractor depends on the contract: see `primeContracts` and `subcontracts`.',
})
@Entity('organisation')
export class Organisation implements Node {
  @Field(() => ID, { description: 'Unique across the exchange; `node(id:)` finds it again.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String, { description: 'Unique within its kind, in any letter case.' })
  @Column('text')
  name!: string;

  @Field(() => OrganisationKind, { description: 'DWP, JOBCENTRE or PROVIDER.' })
  @Column('text')
  kind!: OrganisationKind;

  /** For a Jobcentre: the CPA whose districts it serves, the only one it refers into (null: not yet placed). */
  @Column('uuid', { name: 'cpa_id', nullable: true })
  cpaId?: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
