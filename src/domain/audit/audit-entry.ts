export const AUDIT_ACTIONS = [
  'USER_REGISTERED',
  'LOGIN_SUCCEEDED',
  'LOGIN_FAILED',
  'ACCOUNT_LOCKED',
  'REFRESH_TOKEN_REUSED',
  'LOGOUT',
  'LOGOUT_ALL',
  'PASSWORD_CHANGED',
  'PROFILE_UPDATED',
  'USER_CREATED',
  'ROLE_CHANGED',
  'USER_DEACTIVATED',
  'USER_ACTIVATED',
  'PIN_REGENERATED',
  'BRANCH_CREATED',
  'BRANCH_UPDATED',
  'BRANCH_DELETED',
  'INSPECTION_CREATED',
  'INSPECTION_EDITED',
  'INSPECTION_CHANGE_DELETED',
  'INSPECTION_APPROVED',
  'INSPECTION_STATUS_CHANGED',
  'INSPECTION_DELETED',
  'PHOTO_ADDED',
  'PHOTO_UPDATED',
  'PHOTO_REPLACED',
  'PHOTO_DELETED',
  'PHOTOS_REORDERED',
  'REPORT_GENERATED',
  'REPORT_JOB_RERUN',
  'REPORT_CID_WITHDRAWN',
  'ARCHIVE_REQUESTED',
  'NFT_MINTED',
  'ARCHIVE_FAILED',
  // Customer portal (request actions are CREATE/UPDATE/STATUS_CHANGE/ASSIGN on entity customer_inspection_request; history reads VIEW_LIST/VIEW_DETAIL/DOWNLOAD).
  'VEHICLE_CREATED',
  'VEHICLE_UPDATED',
  'VEHICLE_DELETED',
  'CLASS_PRICE_SET',
  'CREATE',
  'UPDATE',
  'STATUS_CHANGE',
  'ASSIGN',
  'PAYMENT_CREATED',
  'PAYMENT_APPLIED',
  'REFUND_MARKED',
  'CREDIT_PACKAGE_SAVED',
  'CREDITS_PURCHASED',
  'REPORT_UNLOCKED',
  'VIEW_LIST',
  'VIEW_DETAIL',
  'DOWNLOAD',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntryInput {
  actorId: string | null;
  action: AuditAction;
  entity: string;
  entityId: string | null;
  /** Never secrets: the AuditLog adapters store this verbatim. */
  metadata?: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  id: string;
  requestId: string | null;
  ip: string | null;
  createdAt: Date;
  metadata: Record<string, unknown>;
}
