import { CustomerErrors } from '../../domain/customer/customer-errors.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';

/**
 * The per-customer storage quota (CUSTOMER_MAX_STORED_MB): the photos of the customer's vehicles and
 * requests (open or not) plus `incomingBytes`, less `releasedBytes` (a replaced photo set), must fit in
 * `maxBytes`, else 409 CUSTOMER.STORAGE_QUOTA_EXCEEDED. Called once before uploading (fail fast) and again in
 * the transaction that records the photos, after `serialiseCustomer` has locked the customer's row: parallel
 * uploads cannot each pass the check.
 */
export async function assertStorageQuota(
  tx: Pick<TransactionalPorts, 'customerVehicles' | 'inspectionRequests'>,
  customerId: string,
  incomingBytes: number,
  maxBytes: number | undefined,
  releasedBytes = 0,
): Promise<void> {
  if (maxBytes === undefined) return;
  const used =
    (await tx.customerVehicles.photoBytesOf(customerId)) + (await tx.inspectionRequests.photoBytesOf(customerId));
  if (used - releasedBytes + incomingBytes > maxBytes) {
    throw CustomerErrors.storageQuotaExceeded(maxBytes, used, incomingBytes);
  }
}

/** Locks the customer's row until the transaction ends, so the quota checks that follow are exact. */
export async function serialiseCustomer(tx: Pick<TransactionalPorts, 'users'>, customerId: string): Promise<void> {
  await tx.users.lockForUpdate(customerId);
}
