import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { FirstAppointment } from './first-appointment.entity';

export function createAppointmentsLoaders(db: DataSource, cache = true) {
  return {
    firstAppointment: byIdLoader(db, FirstAppointment, cache),
    // A referral's first appointments are few: loaded whole, in time order.
    firstAppointmentsByReferral: groupLoader(db, FirstAppointment, 'referralId', { startsAt: 'ASC', bookedAt: 'ASC' }, cache),
  };
}
