import { latestPerPath } from '../../domain/inspection/change-log.js';
import type { Inspection, StatusChange } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { Actor } from '../actor.js';
import type { PhotoLinks, PhotoView } from '../photos/photo-links.js';
import { loadVisible } from './access.js';

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
