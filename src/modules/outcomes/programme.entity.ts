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

  /** A referral not attached this many days after it was made is flagged NOT_STARTED to both sides (appointments/not-started.ts). */
  @Column('int', { name: 'not_started_days', default: 15 })
  notStartedDays!: number;
}
