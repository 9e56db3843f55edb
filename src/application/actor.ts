import type { Role } from '../domain/identity/role.js';

/** Who is calling a use case (already authenticated by a driving adapter). */
export interface Actor {
  userId: string;
  role: Role;
}

/** Where a login comes from; stored on the session for the user's device list. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}
