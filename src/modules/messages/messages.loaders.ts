import type { DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../../db/loaders';
import { ContactPoint } from './contact-point.entity';
import { Message } from './message.entity';
import { MessageThread } from './message-thread.entity';

export function createMessagesLoaders(db: DataSource, cache = true) {
  return {
    messageThread: byIdLoader(db, MessageThread, cache),
    // A referral's threads and a thread's messages are few: pages are cut from the whole group.
    threadsByReferral: groupLoader(db, MessageThread, 'referralId', { seq: 'ASC' }, cache),
    messagesByThread: groupLoader(db, Message, 'threadId', { seq: 'ASC' }, cache),
    contactPointsByOrganisation: groupLoader(db, ContactPoint, 'organisationId', { cpaId: 'ASC', position: 'ASC' }, cache),
    contactPointsByCpa: groupLoader(db, ContactPoint, 'cpaId', { organisationId: 'ASC', position: 'ASC' }, cache),
  };
}
