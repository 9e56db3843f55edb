import type { ChangeLogEntry } from '../../domain/inspection/change-log.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryChangeLogRepository implements ChangeLogRepository {
  constructor(private readonly store: MemoryStore) {}

  async add(entries: ChangeLogEntry[]): Promise<void> {
    for (const e of entries) this.store.state.changeLogs.set(e.id, clone(e));
  }

  async listForInspection(inspectionId: string): Promise<ChangeLogEntry[]> {
    return [...this.store.state.changeLogs.values()]
      .filter((e) => e.inspectionId === inspectionId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map(clone);
  }

  async findById(id: string): Promise<ChangeLogEntry | null> {
    const e = this.store.state.changeLogs.get(id);
    return e ? clone(e) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.store.state.changeLogs.delete(id);
  }
}
