import { registerEnumType } from 'type-graphql';
import { Role } from '../../auth/access.enums';

export enum OrganisationKind {
  DWP = 'DWP',
  JOBCENTRE = 'JOBCENTRE',
  PROVIDER = 'PROVIDER',
}
registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'What an organisation is; it decides which roles its keys may have.',
  valuesConfig: {
    DWP: { description: 'The Department for Work and Pensions: its keys are ADMIN, DECISION_MAKER or ANALYST.' },
    JOBCENTRE: { description: 'A Jobcentre Plus office or district: its keys are JOBCENTRE.' },
    PROVIDER: { description: 'An employment-support provider, a prime on some contracts and a subcontractor on others: its keys are PROVIDER.' },
  },
});

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
