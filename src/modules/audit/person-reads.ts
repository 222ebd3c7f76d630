import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../context';
import type { Actor } from './actor';

/**
 * The reads of people's fields made while answering one request (or delivering one subscription
 * item), written to the audit trail in one statement however many people were read: a page of 500
 * referrals costs one INSERT, not 500.
 */
export class PersonReads {
  private readonly fields = new Map<string, Set<string>>();

  constructor(readonly actor: Actor) {}

  /** `participantId`'s `field` was disclosed to the actor. */
  read(participantId: string, field: string): void {
    let fields = this.fields.get(participantId);
    if (!fields) this.fields.set(participantId, (fields = new Set()));
    fields.add(field);
  }

  /** Writes what was read since the last flush, if anything: one audit event. */
  async flush(db: DataSource): Promise<void> {
    const read = this.snapshot();
    this.fields.clear();
    await write(db, this.actor, read);
  }

  /**
   * Writes what was read as `actor`'s reads, and keeps it: one resolution of a subscription item is
   * shared by the subscriptions of one key (src/server/shared-delivery.ts), and each delivery of it
   * is recorded, under its own subscription's request id.
   */
  async recordAs(db: DataSource, actor: Actor): Promise<void> {
    await write(db, actor, this.snapshot());
  }

  private snapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.fields].map(([id, fields]) => [id, [...fields].sort()]));
  }
}

/** One audit event for the fields of people `read` (by participant id), if any. */
async function write(db: DataSource, actor: Actor, read: Record<string, string[]>): Promise<void> {
  if (Object.keys(read).length === 0) return;
  await db.query(
    `INSERT INTO audit_event (action, record, api_key_id, organisation_id, request_id, operation, participant_ids, details)
     VALUES ('READ', 'participant', $1, $2, $3, $4, $5::uuid[], $6::jsonb)`,
    [actor.apiKeyId, actor.organisationId, actor.requestId, actor.operation, Object.keys(read).sort(), JSON.stringify({ fields: read })],
  );
}

/**
 * On a field of a person (`Participant`): records that it was disclosed, when it was (a field the
 * policy withheld is null and is not recorded). Every path to a person goes through that type.
 */
export const AuditRead: MiddlewareFn<RequestContext> = async ({ root, info, context }, next) => {
  const value: unknown = await next();
  if (value !== null && value !== undefined) context.audit.read((root as { id: string }).id, info.fieldName);
  return value;
};

/**
 * On a field of a record kept on a referral that says something about its person (a message's
 * body): records the read under the referral's participant, as `Type.field`.
 */
export const AuditReadOnReferral: MiddlewareFn<RequestContext> = async ({ root, info, context }, next) => {
  const value: unknown = await next();
  if (value !== null && value !== undefined) {
    const referral = await context.loaders.referral.load((root as { referralId: string }).referralId);
    context.audit.read(referral!.participantId, `${info.parentType.name}.${info.fieldName}`);
  }
  return value;
};

/** How the audit names an operation: its name, or its type when anonymous. */
export function operationLabel(operation: OperationDefinitionNode | null | undefined): string | null {
  return operation ? (operation.name?.value ?? operation.operation) : null;
}

const INTERNAL_ERROR = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

/**
 * Names the operation for the audit once it is known, and writes a request's reads of people before
 * its answer leaves: an answer whose reads could not be recorded is withheld.
 */
export const auditPlugin: ApolloServerPlugin<RequestContext> = {
  requestDidStart: async () => ({
    didResolveOperation: async ({ contextValue, operation }) => {
      contextValue.audit.actor.operation = operationLabel(operation);
    },
    willSendResponse: async ({ contextValue, response }) => {
      try {
        await contextValue.audit.flush(contextValue.db);
      } catch (error) {
        contextValue.log.error({ err: error }, 'could not record reads of people in the audit trail: the answer is withheld');
        response.body = { kind: 'single', singleResult: { errors: [INTERNAL_ERROR] } };
        response.http.status = 500;
      }
    },
  }),
};
