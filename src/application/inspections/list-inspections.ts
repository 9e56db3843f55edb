import type { Inspection } from '../../domain/inspection/inspection.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { InspectionFilter, InspectionRepository } from '../../ports/inspection-repository.js';
import type { Actor } from '../actor.js';

/** Filtered, paginated list; an inspector's list is always narrowed to their own inspections. */
export class ListInspections {
  constructor(private readonly inspections: InspectionRepository) {}

  execute(actor: Actor, filter: InspectionFilter, page: Partial<PageRequest>): Promise<Page<Inspection>> {
    const f = actor.role === 'INSPECTOR' ? { ...filter, inspectorId: actor.userId } : filter;
    return this.inspections.list(f, normalisePage(page));
  }
}
