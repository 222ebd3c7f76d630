import { registerEnumType } from 'type-graphql';

export enum OrganisationKind {
  DWP = 'DWP',
  JOBCENTRE = 'JOBCENTRE',
  PROVIDER = 'PROVIDER',
}
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });

/** A key's role: what its holder may do, always on behalf of the key's organisation. */
export enum Role {
  ADMIN = 'ADMIN',
  JOBCENTRE = 'JOBCENTRE',
  DECISION_MAKER = 'DECISION_MAKER',
  PROVIDER = 'PROVIDER',
  ANALYST = 'ANALYST',
}
registerEnumType(Role, { name: 'Role' });

/** Which kind of organisation may hold a key of each role: DWP staff, Jobcentres, providers. */
export const ROLE_ORGANISATION_KIND: Record<Role, OrganisationKind> = {
  [Role.ADMIN]: OrganisationKind.DWP,
  [Role.DECISION_MAKER]: OrganisationKind.DWP,
  [Role.ANALYST]: OrganisationKind.DWP,
  [Role.JOBCENTRE]: OrganisationKind.JOBCENTRE,
  [Role.PROVIDER]: OrganisationKind.PROVIDER,
};

/** Whether a key authenticates now. */
export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'Whether an API key authenticates now.',
  valuesConfig: {
    ACTIVE: { description: 'It authenticates requests.' },
    EXPIRED: { description: 'Its `expiresAt` has passed: requests with it are refused (EXPIRED).' },
    REVOKED: { description: 'It was revoked: requests with it are refused (REVOKED), and its open WebSocket sessions end.' },
  },
});
