import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { JobStart } from './job-start.entity';
import { Payment } from './payment.entity';

export function createOutcomesLoaders(db: DataSource, cache = true) {
  return {
    jobStart: byIdLoader(db, JobStart, cache),
    payment: byIdLoader(db, Payment, cache),
    jobStartsByReferral: groupLoader(db, JobStart, 'referralId', { startedOn: 'ASC', id: 'ASC' }, cache),
    paymentsByReferral: groupLoader(db, Payment, 'referralId', { earnedOn: 'ASC', kind: 'ASC', sequence: 'ASC' }, cache),
  };
}
