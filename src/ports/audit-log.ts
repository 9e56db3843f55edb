import type { AuditAction, AuditEntry, AuditEntryInput } from '../domain/audit/audit-entry.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

export interface AuditFilter {
  actorId?: string;
  action?: AuditAction;
  entity?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditLog {
  /**
   * Appends one entry. The adapter adds the current request id and client address from the request
   * context it runs in. Inside a unit of work the entry commits or rolls back with the work.
   */
  record(entry: AuditEntryInput, now: Date): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

export const AuditLog = Symbol('AuditLog');
