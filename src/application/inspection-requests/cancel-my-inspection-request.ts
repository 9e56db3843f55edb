import type { CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadForUpdate } from './request-helpers.js';
import { changeRequestStatus } from './request-status.js';

/** A customer withdraws a request that has not started (NOT_STARTED -> CANCELLED). */
export class CancelMyInspectionRequest {
  constructor(private readonly d: { uow: UnitOfWork; ids: IdGenerator; clock: Clock }) {}

  execute(actor: Actor, id: string, reason: string | null): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) =>
      changeRequestStatus(tx, this.d, actor, await loadForUpdate(tx, id, actor.userId), 'CANCELLED', reason),
    );
  }
}
