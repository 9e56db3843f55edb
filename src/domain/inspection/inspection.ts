import { DomainError } from '../shared/domain-error.js';
import type { InspectionForm } from './change-log.js';
import type { IsoDate } from './pretty-id.js';
import type { InspectionStatus } from './status.js';

export interface Inspection extends InspectionForm {
  id: string;
  prettyId: string;
  status: InspectionStatus;
  inspectorId: string;
  reviewerId: string | null;
  branchCityId: string;
  plateNumber: string;
  inspectionDate: IsoDate;
  overallRating: number | null;
  /** Owner link for the customer portal (either may be null). */
  customerUserId: string | null;
  customerVehicleId: string | null;
  approvedAt: Date | null;
  /** Written only when the NFT mint is confirmed: the asset (policy id + name, hex) and its transaction. */
  nftAssetId: string | null;
  blockchainTxHash: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StatusChange {
  id: string;
  inspectionId: string;
  fromStatus: InspectionStatus | null;
  toStatus: InspectionStatus;
  actorId: string | null;
  reason: string | null;
  createdAt: Date;
}

export const InspectionErrors = {
  notFound: () => new DomainError('INSPECTION.NOT_FOUND', 'not_found', 'No such inspection.'),
  reasonRequired: () =>
    new DomainError('INSPECTION.REASON_REQUIRED', 'validation', 'A revert needs a reason.', [
      { path: '/reason', message: 'is required for a revert' },
    ]),
  notEditable: (status: InspectionStatus) =>
    new DomainError(
      'INSPECTION.NOT_EDITABLE',
      'conflict',
      `An inspection in status ${status} can no longer be edited.`,
    ),
  noBranch: () =>
    new DomainError('INSPECTION.INSPECTOR_WITHOUT_BRANCH', 'unprocessable', 'The inspector has no active branch city.'),
  changeNotFound: () => new DomainError('INSPECTION.CHANGE_NOT_FOUND', 'not_found', 'No such change-log entry.'),
  photoNotFound: () => new DomainError('PHOTO.NOT_FOUND', 'not_found', 'No such photo.'),
  unsupportedPhoto: (name: string) =>
    new DomainError(
      'PHOTO.UNSUPPORTED_TYPE',
      'unsupported_media',
      `${name} is not a JPEG, PNG or WebP image (checked by content, not by name).`,
    ),
  photoTooLarge: (name: string, maxMb: number) =>
    new DomainError('PHOTO.TOO_LARGE', 'too_large', `${name} is larger than ${maxMb} MB.`),
  unknownCustomer: () =>
    new DomainError('INSPECTION.UNKNOWN_CUSTOMER', 'validation', 'customerUserId does not name a customer account.', [
      { path: '/customerUserId', message: 'must be the id of a CUSTOMER user' },
    ]),
  selfApproval: () =>
    new DomainError(
      'INSPECTION.SELF_APPROVAL',
      'forbidden',
      'An inspection cannot be approved by the person who recorded it (segregation of duties).',
    ),
  unknownVehicle: () =>
    new DomainError(
      'INSPECTION.UNKNOWN_VEHICLE',
      'validation',
      'customerVehicleId does not name a vehicle of the given customer.',
      [{ path: '/customerVehicleId', message: 'must be the id of a vehicle registered by customerUserId' }],
    ),
  bulkTooLarge: (max: number) =>
    new DomainError('INSPECTION.BULK_TOO_LARGE', 'validation', `At most ${max} inspections per bulk request.`),
};

export const OVERALL_RATING_MAX = 10;
