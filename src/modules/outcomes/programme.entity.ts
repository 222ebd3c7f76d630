import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A programme DWP buys (the Work Programme): its rate card's years turn on `yearStartsOn` (MM-DD); its rules for queries and returners. */
@Entity('programme')
export class Programme {
  @PrimaryColumn('text')
  code!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'year_starts_on' })
  yearStartsOn!: string;

  /** How long after its allocation a prime may query a referral (002:1222: two weeks). */
  @Column('int', { name: 'query_window_days', default: 14 })
  queryWindowDays!: number;

  /** A person referred again within this many days of a withdrawal goes back to the same contract. */
  @Column('int', { name: 'return_after_withdrawal_days', default: 90 })
  returnAfterWithdrawalDays!: number;

  /** Whether a person who completed the programme may be referred to it again (the Work Programme: no, 002:507). */
  @Column('boolean', { name: 'referral_after_completion', default: false })
  referralAfterCompletion!: boolean;

  /** A referral not attached this many days after it was made is flagged NOT_STARTED to both sides (appointments/not-started.ts). */
  @Column('int', { name: 'not_started_days', default: 15 })
  notStartedDays!: number;
}
