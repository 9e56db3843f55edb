import type { CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { InspectionRequestFilter } from '../../ports/inspection-requests.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

/**
 * GET /admin/customer-inspections: every customer's requests, filtered (status, assignee, customer, class,
 * payment status, preferred schedule range).
 */
export class ListInspectionRequests {
  constructor(private readonly uow: UnitOfWork) {}

  execute(filter: InspectionRequestFilter, page: Partial<PageRequest>): Promise<Page<CustomerInspectionRequest>> {
    return this.uow.run((tx) => tx.inspectionRequests.list(filter, normalisePage(page)));
  }
}
