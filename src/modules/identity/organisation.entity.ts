import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../common/node';
import { OrganisationKind } from './identity.enums';

/** DWP, a Jobcentre Plus office or district, or a provider. Roles in a chain belong to contracts, not here. */
@ObjectType({ implements: Node })
@Entity('organisation')
export class Organisation implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String)
  @Column('text')
  name!: string;

  @Field(() => OrganisationKind)
  @Column('text')
  kind!: OrganisationKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
