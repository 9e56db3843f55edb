import type { AuditEntry, AuditEntryInput } from '../../domain/audit/audit-entry.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { AuditFilter, AuditLog } from '../../ports/audit-log.js';
import type { MemoryStore } from './memory-store.js';

export interface RequestMetaSource {
  (): { requestId: string | null; ip: string | null };
}

export class MemoryAuditLog implements AuditLog {
  private seq = 0;

  constructor(
    private readonly store: MemoryStore,
    private readonly meta: RequestMetaSource = () => ({ requestId: null, ip: null }),
  ) {}

  async record(entry: AuditEntryInput, now: Date): Promise<void> {
    const { requestId, ip } = this.meta();
    this.seq += 1;
    this.store.state.audit.push({
      ...entry,
      metadata: entry.metadata ?? {},
      id: `mem-${this.seq}`,
      requestId,
      ip,
      createdAt: now,
    });
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const all = this.store.state.audit
      .filter((e) => !filter.actorId || e.actorId === filter.actorId)
      .filter((e) => !filter.action || e.action === filter.action)
      .filter((e) => !filter.entity || e.entity === filter.entity)
      .filter((e) => !filter.entityId || e.entityId === filter.entityId)
      .filter((e) => !filter.from || e.createdAt >= filter.from)
      .filter((e) => !filter.to || e.createdAt < filter.to)
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.createdAt.getTime() - a.e.createdAt.getTime() || b.i - a.i)
      .map(({ e }) => e);
    const start = offsetOf(page);
    return {
      items: all.slice(start, start + page.pageSize).map((e) => structuredClone(e)),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }
}
