import type { Knex } from 'knex';
import type { AuditAction, AuditEntry, AuditEntryInput } from '../../domain/audit/audit-entry.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { AuditFilter, AuditLog } from '../../ports/audit-log.js';

interface AuditRow {
  id: string;
  actor_id: string | null;
  action: AuditAction;
  entity: string;
  entity_id: string | null;
  request_id: string | null;
  ip: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

export type RequestMetaSource = () => { requestId: string | null; ip: string | null };

const toEntry = (r: AuditRow): AuditEntry => ({
  id: String(r.id),
  actorId: r.actor_id,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  requestId: r.request_id,
  ip: r.ip,
  metadata: r.metadata,
  createdAt: r.created_at,
});

export class KnexAuditLog implements AuditLog {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly meta: RequestMetaSource,
  ) {}

  async record(entry: AuditEntryInput, now: Date): Promise<void> {
    const { requestId, ip } = this.meta();
    await this.db('audit_logs').insert({
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      request_id: requestId,
      ip,
      metadata: JSON.stringify(entry.metadata ?? {}),
      created_at: now,
    });
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const q = this.db<AuditRow>('audit_logs').modify((b) => {
      if (filter.actorId) b.where('actor_id', filter.actorId);
      if (filter.action) b.where('action', filter.action);
      if (filter.entity) b.where('entity', filter.entity);
      if (filter.entityId) b.where('entity_id', filter.entityId);
      if (filter.from) b.where('created_at', '>=', filter.from);
      if (filter.to) b.where('created_at', '<', filter.to);
    });
    const [{ count }] = (await q.clone().count({ count: '*' })) as [{ count: string }];
    const rows = await q
      .clone()
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(page.pageSize)
      .offset(offsetOf(page));
    return { items: (rows as AuditRow[]).map(toEntry), page: page.page, pageSize: page.pageSize, total: Number(count) };
  }
}
