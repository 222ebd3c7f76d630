import type { Organisation } from '../modules/identity/organisation.entity';
import type { Role } from './access.enums';

/** Who is asking: the organisation and role of the API key on the request. */
export interface Viewer {
  apiKeyId: string;
  organisation: Organisation;
  role: Role;
  /** When the key stops working (null: never); open WebSocket sessions end then. */
  expiresAt: Date | null;
}
