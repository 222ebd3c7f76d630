import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Role } from '../../auth/access.enums';
import type { KeyLookup } from '../../auth/authenticate';
import type { Viewer } from '../../auth/viewer';
import { isUuid } from '../../common/ids';
import { ErrorCode } from '../../common/error-codes';
import { type Keyset, type Page, type PageArgs, queryPage } from '../../common/pagination';
import { trimmed } from '../../common/text';
import { refuse, userError, assertNoUserErrors, type UserError } from '../../common/user-error';
import { isUniqueViolation } from '../../db/errors';
import { Cpa } from '../contracts/cpa.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeyStatus, OrganisationKind, ROLE_ORGANISATION_KIND } from './identity.enums';
import { Organisation } from './organisation.entity';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit';
import type { RequestViewer } from '../context';

/** The organisation the bootstrap admin key belongs to, made at first start if absent. */
export const DWP_ORGANISATION_NAME = 'Department for Work and Pensions';

/** Secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function newSecret(): string {
  return `scx_${randomBytes(32).toString('base64url')}`;
}

/**
 * Finds the key, counts the request against the key's rate limit and, at most once a minute per
 * key, records when it was last used: one SQL statement, so authenticating costs a request one
 * round trip. The counter lives in PostgreSQL, so every API process on the database shares it.
 * A window starts with a key's first request after the previous window ended; requests past the
 * limit are refused until it ends (and still counted: a client that keeps hammering stays out).
 */
const AUTHENTICATE_SQL = `
  WITH key AS (
    SELECT k.*, (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())) AS usable
      FROM api_key k WHERE k.secret_hash = $1
  ), counted AS (
    INSERT INTO api_key_usage AS u (api_key_id, window_started_at, requests)
    SELECT id, now(), 1 FROM key WHERE usable
    ON CONFLICT (api_key_id) DO UPDATE SET
      window_started_at = CASE WHEN u.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE u.window_started_at END,
      requests = CASE WHEN u.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE u.requests + 1 END
    RETURNING requests, window_started_at
  ), touched AS (
    UPDATE api_key k SET last_used_at = now() FROM key
     WHERE k.id = key.id AND key.usable AND (k.last_used_at IS NULL OR k.last_used_at <= now() - interval '1 minute')
  )
  SELECT key.id, key.role, key.expires_at, key.revoked_at, key.usable,
         o.id AS organisation_id, o.name AS organisation_name, o.kind AS organisation_kind, o.created_at AS organisation_created_at,
         o.cpa_id AS organisation_cpa_id,
         counted.requests,
         greatest(1, ceil(extract(epoch FROM counted.window_started_at + make_interval(secs => $2) - now())))::int AS retry_after
    FROM key JOIN organisation o ON o.id = key.organisation_id LEFT JOIN counted ON true`;

interface AuthenticatedRow {
  id: string;
  role: Role;
  expires_at: Date | null;
  revoked_at: Date | null;
  usable: boolean;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  organisation_created_at: Date;
  organisation_cpa_id: string | null;
  requests: number | null;
  retry_after: number | null;
}

/** How authentication (src/auth/authenticate.ts) finds a secret's key, counting requests against `limit`. */
export function keyLookup(db: DataSource, limit: RateLimit = DEFAULT_RATE_LIMIT): KeyLookup<RequestViewer> {
  return async (secret) => {
    const [row]: AuthenticatedRow[] = await db.query(AUTHENTICATE_SQL, [hashSecret(secret), limit.windowSeconds]);
    if (!row) return { failure: 'UNKNOWN' };
    if (row.revoked_at) return { failure: 'REVOKED' };
    if (!row.usable) return { failure: 'EXPIRED' };
    if (row.requests! > limit.requests) return { failure: 'RATE_LIMITED', retryAfterSeconds: row.retry_after! };
    const organisation = db.getRepository(Organisation).create({
      id: row.organisation_id,
      name: row.organisation_name,
      kind: row.organisation_kind,
      createdAt: row.organisation_created_at,
      cpaId: row.organisation_cpa_id,
    });
    return { viewer: { apiKeyId: row.id, organisation, role: row.role, expiresAt: row.expires_at } };
  };
}

export async function registerOrganisation(
  db: DataSource,
  input: { name: string; kind: OrganisationKind; cpaCode?: number | null },
): Promise<Organisation> {
  const name = input.name.trim();
  if (name === '') refuse(ErrorCode.NAME_REQUIRED, 'An organisation needs a name', ['name']);
  let cpaId: string | null = null;
  if (input.cpaCode != null) {
    if (input.kind !== OrganisationKind.JOBCENTRE) refuse(ErrorCode.CPA_ONLY_FOR_JOBCENTRE, 'Only a Jobcentre is placed in a CPA', ['cpaCode']);
    const cpa = await db.getRepository(Cpa).findOneBy({ code: input.cpaCode });
    if (!cpa) refuse(ErrorCode.UNKNOWN_CPA, `No CPA has code ${input.cpaCode}`, ['cpaCode']);
    cpaId = cpa.id;
  }
  try {
    return await db.getRepository(Organisation).save(db.getRepository(Organisation).create({ name, kind: input.kind, cpaId }));
  } catch (error) {
    if (isUniqueViolation(error, 'organisation_kind_name_key')) {
      refuse(ErrorCode.DUPLICATE_ORGANISATION, `A ${input.kind} organisation named "${name}" exists`, ['name']);
    }
    throw error;
  }
}

export async function findOrganisation(db: DataSource | EntityManager, id: string): Promise<Organisation | null> {
  return isUuid(id) ? db.getRepository(Organisation).findOneBy({ id }) : null;
}

/** Issues a key; the secret is returned this once and only its hash is stored. */
export async function issueApiKey(
  db: DataSource | EntityManager,
  input: { organisationId: string; role: Role; label?: string | null; expiresAt?: Date | null },
  issuedById: string | null = null,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const organisation = await findOrganisation(db, input.organisationId);
  const errors: UserError[] = [];
  if (!organisation) errors.push(userError(ErrorCode.UNKNOWN_ORGANISATION, 'No organisation has this id', ['organisationId']));
  const kindNeeded = ROLE_ORGANISATION_KIND[input.role];
  if (organisation && organisation.kind !== kindNeeded) {
    errors.push(
      userError(
        ErrorCode.ROLE_NOT_FOR_ORGANISATION_KIND,
        `A ${input.role} key belongs to a ${kindNeeded} organisation; this one is ${organisation.kind}`,
        ['role'],
      ),
    );
  }
  if (input.expiresAt && input.expiresAt <= new Date()) {
    errors.push(userError(ErrorCode.EXPIRY_IN_PAST, 'A key cannot expire before it is issued', ['expiresAt']));
  }
  assertNoUserErrors(errors);
  const secret = newSecret();
  const repository = db.getRepository(ApiKey);
  const apiKey = await repository.save(
    repository.create({
      organisationId: organisation!.id,
      role: input.role,
      label: trimmed(input.label),
      secretHash: hashSecret(secret),
      expiresAt: input.expiresAt ?? null,
      issuedById,
    }),
  );
  return { apiKey, secret };
}

/**
 * Revokes a key at once: every API process refuses it from the next request, and the trigger
 * `api_key_revocation` announces it on API_KEY_CHANNEL in this transaction, so that at commit
 * every process ends its open WebSocket sessions. Revoking a revoked key changes nothing and
 * answers the key as it is (the first revocation stands).
 */
export async function revokeApiKey(db: DataSource, viewer: Viewer, input: { apiKeyId: string; reason: string }): Promise<ApiKey> {
  const reason = trimmed(input.reason);
  const errors: UserError[] = [];
  // Its length is held by the input's @Limit (LIMITS.freeText) before this runs.
  if (!reason) errors.push(userError(ErrorCode.REASON_REQUIRED, 'Say why the key is revoked', ['reason']));
  const known = isUuid(input.apiKeyId) && (await db.getRepository(ApiKey).existsBy({ id: input.apiKeyId }));
  if (!known) errors.push(userError(ErrorCode.UNKNOWN_API_KEY, 'No API key has this id', ['apiKeyId']));
  assertNoUserErrors(errors);
  await db.query(
    `UPDATE api_key SET revoked_at = now(), revoked_by = $2, revocation_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
    [input.apiKeyId, viewer.apiKeyId, reason],
  );
  return db.getRepository(ApiKey).findOneByOrFail({ id: input.apiKeyId });
}

/** Keys by when they were issued (then id); a cursor is a key's id. */
const API_KEY_ORDER: Keyset<ApiKey> = {
  order: [
    ['k.created_at', 'ASC'],
    ['k.id', 'ASC'],
  ],
  position: (key) => key.id,
  isPosition: isUuid,
  after: (id) => ({ where: '(k.created_at, k.id) > (SELECT created_at, id FROM api_key WHERE id = :after)', parameters: { after: id } }),
};

/** A page of keys, oldest first. */
export async function listApiKeys(
  db: DataSource,
  filter: { organisationId?: string | null; status?: ApiKeyStatus[] | null },
  page: PageArgs,
): Promise<Page<ApiKey>> {
  const query = db.getRepository(ApiKey).createQueryBuilder('k');
  if (filter.organisationId) {
    // No key belongs to what is not an id: a query that matches nothing, not an error.
    query.andWhere(isUuid(filter.organisationId) ? 'k.organisation_id = :organisationId' : 'false', { organisationId: filter.organisationId });
  }
  if (filter.status?.length) query.andWhere(`(${filter.status.map((status) => STATUS_SQL[status]).join(' OR ')})`);
  return queryPage(query, API_KEY_ORDER, page);
}

/** The same rule as `apiKeyStatus`, for lists. */
const STATUS_SQL: Record<ApiKeyStatus, string> = {
  [ApiKeyStatus.ACTIVE]: 'k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())',
  [ApiKeyStatus.EXPIRED]: 'k.revoked_at IS NULL AND k.expires_at <= now()',
  [ApiKeyStatus.REVOKED]: 'k.revoked_at IS NOT NULL',
};

/** Why a bootstrap key was revoked when the exchange started with another. */
export const BOOTSTRAP_REPLACED = 'Replaced: the exchange started with another SCX_BOOTSTRAP_ADMIN_KEY';

/**
 * Makes sure a DWP organisation holds an ADMIN key whose secret is exactly `secret`
 * (SCX_BOOTSTRAP_ADMIN_KEY), so that a new exchange can be administered at all, and retires
 * (revokes) the bootstrap keys of earlier values of the variable. A revoked key stays revoked: for
 * a value naming one, the answer says so (and nothing is retired); the operator sets a new value.
 */
export async function ensureBootstrapAdmin(db: DataSource, secret: string): Promise<{ revoked: boolean; retired: number }> {
  return db.transaction(async (tx) => {
    // Serialise concurrent starts of several API processes on one database.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('scx.bootstrap-admin'))`);
    const secretHash = hashSecret(secret);
    const keys = tx.getRepository(ApiKey);
    let key = await keys.findOneBy({ secretHash });
    if (!key) {
      const organisations = tx.getRepository(Organisation);
      const dwp =
        (await organisations.findOneBy({ kind: OrganisationKind.DWP, name: DWP_ORGANISATION_NAME })) ??
        (await organisations.save(organisations.create({ name: DWP_ORGANISATION_NAME, kind: OrganisationKind.DWP })));
      key = await keys.save(keys.create({ organisationId: dwp.id, role: Role.ADMIN, label: 'bootstrap', secretHash, bootstrap: true }));
    }
    // A value naming a revoked key retires nothing: the exchange keeps the bootstrap key it has.
    if (key.revokedAt) return { revoked: true, retired: 0 };
    // TypeORM answers an UPDATE with [rows, count].
    const [retired]: [unknown[], number] = await tx.query(
      `UPDATE api_key SET revoked_at = now(), revocation_reason = $2 WHERE bootstrap AND revoked_at IS NULL AND id <> $1 RETURNING id`,
      [key.id, BOOTSTRAP_REPLACED],
    );
    return { revoked: false, retired: retired.length };
  });
}
