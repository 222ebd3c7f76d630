import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';

/** One of an organisation's contact points in one CPA, in the order the organisation gave them. */
@ObjectType({ description: 'Someone to contact at an organisation about its work in one CPA: part of the registry, read by every key holder.' })
@Entity('contact_point')
export class ContactPoint {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId!: string;

  @Column('uuid', { name: 'cpa_id' })
  cpaId!: string;

  @Column('int')
  position!: number;

  @Field(() => String, { description: "A person's name, or a team's." })
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'What they do.' })
  @Column('text', { nullable: true })
  role!: string | null;

  @Field(() => String, { description: 'A work email address.' })
  @Column('text')
  email!: string;

  @Field(() => String, { nullable: true, description: 'A work phone number.' })
  @Column('text', { nullable: true })
  phone!: string | null;
}
