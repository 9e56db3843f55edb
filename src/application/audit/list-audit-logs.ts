import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { AuditFilter, AuditLog } from '../../ports/audit-log.js';

/** Audit trail for administrators, newest first. */
export class ListAuditLogs {
  constructor(private readonly audit: AuditLog) {}

  execute(filter: AuditFilter, page: Partial<PageRequest>): Promise<Page<AuditEntry>> {
    return this.audit.list(filter, normalisePage(page));
  }
}
