import type { Knex } from 'knex';
import type { ChangeLogEntry } from '../../domain/inspection/change-log.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';

type Row = Record<string, unknown>;

const toEntry = (r: Row): ChangeLogEntry => ({
  id: r.id as string,
  inspectionId: r.inspection_id as string,
  fieldPath: r.field_path as string,
  oldValue: r.old_value ?? null,
  newValue: r.new_value ?? null,
  changedBy: r.changed_by as string,
  createdAt: r.created_at as Date,
});

export class KnexChangeLogRepository implements ChangeLogRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async add(entries: ChangeLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db('inspection_change_logs').insert(
      entries.map((e) => ({
        id: e.id,
        inspection_id: e.inspectionId,
        field_path: e.fieldPath,
        old_value: JSON.stringify(e.oldValue ?? null),
        new_value: JSON.stringify(e.newValue ?? null),
        changed_by: e.changedBy,
        created_at: e.createdAt,
      })),
    );
  }

  async listForInspection(inspectionId: string): Promise<ChangeLogEntry[]> {
    return (
      await this.db('inspection_change_logs')
        .where({ inspection_id: inspectionId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
    ).map(toEntry);
  }

  async findById(id: string): Promise<ChangeLogEntry | null> {
    const r = await this.db('inspection_change_logs').where({ id }).first();
    return r ? toEntry(r) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('inspection_change_logs').where({ id }).delete()) > 0;
  }
}
