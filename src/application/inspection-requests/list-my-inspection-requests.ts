import type { CustomerInspectionRequest, CustomerInspectionStatus } from '../../domain/customer/inspection-request.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** GET /me/inspection-requests: the caller's own requests, newest first, optionally by status. */
export class ListMyInspectionRequests {
  constructor(private readonly uow: UnitOfWork) {}

  execute(
    actor: Actor,
    filter: { status?: CustomerInspectionStatus[] },
    page: Partial<PageRequest>,
  ): Promise<Page<CustomerInspectionRequest>> {
    return this.uow.run((tx) =>
      tx.inspectionRequests.list({ customerId: actor.userId, status: filter.status }, normalisePage(page)),
    );
  }
}
