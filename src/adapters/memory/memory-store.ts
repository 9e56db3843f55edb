import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import type { BranchCity } from '../../domain/branch/branch-city.js';
import type { AuthSession, RefreshTokenRecord } from '../../domain/identity/session.js';
import type { User } from '../../domain/identity/user.js';

/** The whole state of the in-memory adapters; cloned to give the memory unit of work its rollback. */
export interface MemoryState {
  users: Map<string, User>;
  sessions: Map<string, AuthSession>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  branches: Map<string, BranchCity>;
  audit: AuditEntry[];
}

export class MemoryStore {
  state: MemoryState = { users: new Map(), sessions: new Map(), refreshTokens: new Map(), branches: new Map(), audit: [] };

  snapshot(): MemoryState {
    return structuredClone(this.state);
  }

  restore(s: MemoryState): void {
    this.state = s;
  }
}
