import { latestPerPath, type ChangeLogEntry } from '../../domain/inspection/change-log.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { Actor } from '../actor.js';
import { loadVisible } from './access.js';

/** The review change log: by default the latest entry per field path (what approval will apply). */
export class ListChangeLog {
  constructor(
    private readonly inspections: InspectionRepository,
    private readonly changeLogs: ChangeLogRepository,
  ) {}

  async execute(actor: Actor, id: string, all = false): Promise<ChangeLogEntry[]> {
    await loadVisible(this.inspections, actor, id);
    const entries = await this.changeLogs.listForInspection(id);
    return all ? entries : latestPerPath(entries);
  }
}
