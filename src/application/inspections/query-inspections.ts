import type { ChangeLogEntry } from '../../domain/inspection/change-log.js';
import { latestPerPath } from '../../domain/inspection/change-log.js';
import type { Inspection, StatusChange } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';
import type { InspectionFilter, InspectionRepository } from '../../ports/inspection-repository.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { Actor } from '../actor.js';
import { loadVisible } from './access.js';
import type { PhotoLinks, PhotoView } from '../photos/photo-links.js';

/** Filtered, paginated list; an inspector's list is always narrowed to their own inspections. */
export class ListInspections {
  constructor(private readonly inspections: InspectionRepository) {}

  execute(actor: Actor, filter: InspectionFilter, page: Partial<PageRequest>): Promise<Page<Inspection>> {
    const f = actor.role === 'INSPECTOR' ? { ...filter, inspectorId: actor.userId } : filter;
    return this.inspections.list(f, normalisePage(page));
  }
}

export interface InspectionDetail {
  inspection: Inspection;
  photos: PhotoView[];
  statusHistory: StatusChange[];
  pendingChanges: number;
}

/**
 * One inspection with its photos (signed URLs), status history and the number of review edits approval
 * will apply. An inspector sees only their own (INSPECTION.NOT_FOUND otherwise).
 */
export class GetInspection {
  constructor(
    private readonly inspections: InspectionRepository,
    private readonly photos: PhotoRepository,
    private readonly changeLogs: ChangeLogRepository,
    private readonly links: PhotoLinks,
  ) {}

  async execute(actor: Actor, id: string): Promise<InspectionDetail> {
    const inspection = await loadVisible(this.inspections, actor, id);
    const [photos, statusHistory, changes] = await Promise.all([
      this.photos.listForInspection(id),
      this.inspections.statusHistory(id),
      this.changeLogs.listForInspection(id),
    ]);
    return {
      inspection,
      photos: await this.links.views(photos as InspectionPhoto[]),
      statusHistory,
      pendingChanges: latestPerPath(changes).length,
    };
  }
}

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
