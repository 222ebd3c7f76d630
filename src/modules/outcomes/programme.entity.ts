import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A programme DWP buys (the Work Programme): its rate card's years turn on `yearStartsOn` (MM-DD). */
@Entity('programme')
export class Programme {
  @PrimaryColumn('text')
  code!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'year_starts_on' })
  yearStartsOn!: string;
}
