import { RequestErrors, type CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import type { Actor } from '../actor.js';
import { createRequest, type CreateRequestInput } from './create-request.js';
import type { RequestDeps } from './deps.js';

/** An admin records a request on behalf of a customer (customerId must be an active CUSTOMER). */
export class CreateInspectionRequestForCustomer {
  constructor(private readonly d: RequestDeps) {}

  execute(actor: Actor, customerId: string, input: CreateRequestInput): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const customer = await tx.users.findById(customerId);
      if (!customer || customer.role !== 'CUSTOMER' || !customer.isActive) throw RequestErrors.unknownCustomer();
      return createRequest(tx, this.d, actor, customerId, input);
    });
  }
}
