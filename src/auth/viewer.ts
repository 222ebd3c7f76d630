import type { Role } from './access.enums';

/** The organisation behind a key, as access knows it: by its id. */
export interface KeyOrganisation {
  id: string;
}

/**
 * Who is asking: the organisation and role of the API key on the request. `O` is what the
 * identity module loaded of the organisation (its Organisation entity, in a RequestContext);
 * access asks only for its id.
 */
export interface Viewer<O extends KeyOrganisation = KeyOrganisation> {
  apiKeyId: string;
  organisation: O;
  role: Role;
  /** When the key stops working (null: never); open WebSocket sessions end then. */
  expiresAt: Date | null;
}
