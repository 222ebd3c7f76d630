import { forbidden, unauthenticated } from './errors';
import type { Viewer } from './viewer';
import { Role } from '../modules/identity/identity.enums';

/**
 * The one place that decides who may do what. Resolvers name the action they perform
 * (`@Authorized(Action.X)`); services ask here for decisions that depend on relationships.
 * tests/unit/policy.test.ts checks the whole role × action matrix.
 */
export enum Action {
  /** `viewer`: who am I. */
  ReadViewer = 'viewer.read',
  /** CPAs, organisations, prime contracts, supply chains and market shares. */
  ReadRegistry = 'registry.read',
  /** createCpa, registerOrganisation, awardPrimeContract, addSubcontractor, setMarketShares. */
  ManageRegistry = 'registry.manage',
  /** issueApiKey. */
  IssueApiKey = 'apiKey.issue',
}

const EVERY_ROLE = Object.values(Role);

/**
 * Role grants. The registry is readable by every key holder: the chain's shape is what
 * partners route work by (DWP publishes its supply chains); nothing in it is personal data.
 */
const GRANTS: Record<Action, readonly Role[]> = {
  [Action.ReadViewer]: EVERY_ROLE,
  [Action.ReadRegistry]: EVERY_ROLE,
  [Action.ManageRegistry]: [Role.ADMIN],
  [Action.IssueApiKey]: [Role.ADMIN],
};

export function can(viewer: Viewer | null, action: Action): boolean {
  return viewer !== null && GRANTS[action].includes(viewer.role);
}

/** Throws UNAUTHENTICATED without a viewer and FORBIDDEN when the viewer's role lacks the action. */
export function authorize(viewer: Viewer | null, action: Action): asserts viewer is Viewer {
  if (viewer === null) throw unauthenticated();
  if (!can(viewer, action)) throw forbidden(`${viewer.role} may not ${action}`);
}
