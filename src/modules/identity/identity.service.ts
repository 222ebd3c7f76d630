import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import { isUuid } from '../../common/ids';
import { ErrorCode } from '../../common/error-codes';
import { refuse } from '../../common/user-error';
import { isUniqueViolation } from '../../db/errors';
import { ApiKey } from './api-key.entity';
import { OrganisationKind, ROLE_ORGANISATION_KIND, Role } from './identity.enums';
import { Organisation } from './organisation.entity';

/** The organisation the bootstrap admin key belongs to, made at first start if absent. */
export const DWP_ORGANISATION_NAME = 'Department for Work and Pensions';

/** Secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function newSecret(): string {
  return `scx_${randomBytes(32).toString('base64url')}`;
}

/** The viewer a bearer secret stands for, or null for an unknown secret. One SQL statement. */
export async function findViewerBySecret(db: DataSource, secret: string): Promise<Viewer | null> {
  const key = await db
    .getRepository(ApiKey)
    .createQueryBuilder('key')
    .innerJoinAndMapOne('key.organisation', Organisation, 'org', 'org.id = key.organisation_id')
    .where('key.secret_hash = :hash', { hash: hashSecret(secret) })
    .getOne();
  if (!key) return null;
  const { organisation } = key as ApiKey & { organisation: Organisation };
  return { apiKeyId: key.id, organisation, role: key.role, expiresAt: null };
}

export async function registerOrganisation(
  db: DataSource,
  input: { name: string; kind: OrganisationKind },
): Promise<Organisation> {
  const name = input.name.trim();
  if (name === '') refuse(ErrorCode.NAME_REQUIRED, 'An organisation needs a name', ['name']);
  try {
    return await db.getRepository(Organisation).save(db.getRepository(Organisation).create({ name, kind: input.kind }));
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
  input: { organisationId: string; role: Role; label?: string | null },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const organisation = await findOrganisation(db, input.organisationId);
  if (!organisation) {
    refuse(ErrorCode.UNKNOWN_ORGANISATION, 'No organisation has this id', ['organisationId']);
  }
  const kindNeeded = ROLE_ORGANISATION_KIND[input.role];
  if (organisation.kind !== kindNeeded) {
    refuse(
      ErrorCode.ROLE_NOT_FOR_ORGANISATION_KIND,
      `A ${input.role} key belongs to a ${kindNeeded} organisation; this one is ${organisation.kind}`,
      ['role'],
    );
  }
  const secret = newSecret();
  const repository = db.getRepository(ApiKey);
  const apiKey = await repository.save(
    repository.create({
      organisationId: organisation.id,
      role: input.role,
      label: input.label?.trim() || null,
      secretHash: hashSecret(secret),
    }),
  );
  return { apiKey, secret };
}

/**
 * Makes sure a DWP organisation holds an ADMIN key whose secret is exactly `secret`
 * (SCX_BOOTSTRAP_ADMIN_KEY), so that a new exchange can be administered at all.
 */
export async function ensureBootstrapAdmin(db: DataSource, secret: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialise concurrent starts of several API processes on one database.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('scx.bootstrap-admin'))`);
    const secretHash = hashSecret(secret);
    if (await tx.getRepository(ApiKey).existsBy({ secretHash })) return;
    const organisations = tx.getRepository(Organisation);
    const dwp =
      (await organisations.findOneBy({ kind: OrganisationKind.DWP, name: DWP_ORGANISATION_NAME })) ??
      (await organisations.save(organisations.create({ name: DWP_ORGANISATION_NAME, kind: OrganisationKind.DWP })));
    await tx
      .getRepository(ApiKey)
      .save(tx.getRepository(ApiKey).create({ organisationId: dwp.id, role: Role.ADMIN, label: 'bootstrap', secretHash }));
  });
}
