import { DomainError } from '../shared/domain-error.js';

const mb = (bytes: number) => Math.ceil((bytes / 1048576) * 10) / 10;

/** Errors of the customer's own account: quotas that span features. */
export const CustomerErrors = {
  storageQuotaExceeded: (maxBytes: number, usedBytes: number, incomingBytes: number) =>
    new DomainError(
      'CUSTOMER.STORAGE_QUOTA_EXCEEDED',
      'conflict',
      `Your photos may take at most ${mb(maxBytes)} MB; ${mb(usedBytes)} MB are stored and these files add ${mb(incomingBytes)} MB. Delete a vehicle or replace its photos with fewer or smaller ones.`,
    ),
};

/** Errors of the customer's inspection history. */
export const HistoryErrors = {
  invalidRange: () =>
    new DomainError('HISTORY.INVALID_RANGE', 'validation', 'dateFrom must not be after dateTo.', [
      { path: '/query/dateFrom', message: 'must be on or before dateTo' },
    ]),
  reportNotReady: () =>
    new DomainError('HISTORY.REPORT_NOT_READY', 'conflict', 'The report PDF of this inspection is not ready yet.'),
};
