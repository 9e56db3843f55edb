import { DomainError } from '../shared/domain-error.js';
import type { Role } from '../identity/role.js';

export const INSPECTION_STATUSES = [
  'NEED_REVIEW',
  'APPROVED',
  'ARCHIVING',
  'ARCHIVED',
  'FAIL_ARCHIVE',
  'DEACTIVATED',
] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

/** Who moves an inspection: a user's role, or the system itself (report and archive jobs). */
export type TransitionActor = Role | 'SYSTEM';

export type TransitionKind =
  | 'APPROVE'
  | 'ARCHIVE'
  | 'ARCHIVE_CONFIRMED'
  | 'ARCHIVE_FAILED'
  | 'RETRY_ARCHIVE'
  | 'DEACTIVATE'
  | 'ACTIVATE'
  | 'REVERT';

interface Rule {
  from: InspectionStatus;
  to: InspectionStatus;
  kind: TransitionKind;
  actors: readonly TransitionActor[];
}

const REVIEWERS: TransitionActor[] = ['REVIEWER', 'ADMIN', 'SUPERADMIN'];
const ADMINS: TransitionActor[] = ['ADMIN', 'SUPERADMIN'];

/**
 * The inspection lifecycle. Forward: NEED_REVIEW -> APPROVED -> ARCHIVING -> ARCHIVED, ARCHIVING ->
 * FAIL_ARCHIVE -> ARCHIVING (retry), ARCHIVED <-> DEACTIVATED. A SUPERADMIN may revert to NEED_REVIEW (from
 * any settled state) or from ARCHIVED / FAIL_ARCHIVE back to APPROVED; history is kept by the caller.
 * ARCHIVING is never reverted: a mint may be in flight.
 */
export const TRANSITIONS: readonly Rule[] = [
  { from: 'NEED_REVIEW', to: 'APPROVED', kind: 'APPROVE', actors: REVIEWERS },
  { from: 'APPROVED', to: 'ARCHIVING', kind: 'ARCHIVE', actors: [...ADMINS, 'SYSTEM'] },
  { from: 'ARCHIVING', to: 'ARCHIVED', kind: 'ARCHIVE_CONFIRMED', actors: ['SYSTEM'] },
  { from: 'ARCHIVING', to: 'FAIL_ARCHIVE', kind: 'ARCHIVE_FAILED', actors: ['SYSTEM'] },
  { from: 'FAIL_ARCHIVE', to: 'ARCHIVING', kind: 'RETRY_ARCHIVE', actors: [...ADMINS, 'SYSTEM'] },
  { from: 'ARCHIVED', to: 'DEACTIVATED', kind: 'DEACTIVATE', actors: ADMINS },
  { from: 'DEACTIVATED', to: 'ARCHIVED', kind: 'ACTIVATE', actors: ADMINS },
  { from: 'APPROVED', to: 'NEED_REVIEW', kind: 'REVERT', actors: ['SUPERADMIN'] },
  { from: 'FAIL_ARCHIVE', to: 'NEED_REVIEW', kind: 'REVERT', actors: ['SUPERADMIN'] },
  { from: 'ARCHIVED', to: 'NEED_REVIEW', kind: 'REVERT', actors: ['SUPERADMIN'] },
  { from: 'DEACTIVATED', to: 'NEED_REVIEW', kind: 'REVERT', actors: ['SUPERADMIN'] },
  { from: 'ARCHIVED', to: 'APPROVED', kind: 'REVERT', actors: ['SUPERADMIN'] },
  { from: 'FAIL_ARCHIVE', to: 'APPROVED', kind: 'REVERT', actors: ['SUPERADMIN'] },
];

export const isInspectionStatus = (v: unknown): v is InspectionStatus =>
  typeof v === 'string' && (INSPECTION_STATUSES as readonly string[]).includes(v);

/**
 * Checks a status change. Unknown moves are INSPECTION.INVALID_TRANSITION (409); known moves by an actor
 * who may not make them are INSPECTION.TRANSITION_FORBIDDEN (403). Returns the kind of the move.
 */
export function assertTransition(from: InspectionStatus, to: InspectionStatus, actor: TransitionActor): TransitionKind {
  const rule = TRANSITIONS.find((r) => r.from === from && r.to === to);
  if (!rule)
    throw new DomainError(
      'INSPECTION.INVALID_TRANSITION',
      'conflict',
      `An inspection cannot go from ${from} to ${to}.`,
    );
  if (!rule.actors.includes(actor)) {
    throw new DomainError(
      'INSPECTION.TRANSITION_FORBIDDEN',
      'forbidden',
      `${actor} may not move an inspection from ${from} to ${to}.`,
    );
  }
  return rule.kind;
}

/** Review edits (change-log entries) and photo changes are only allowed before approval. */
export const isEditable = (s: InspectionStatus): boolean => s === 'NEED_REVIEW';

/**
 * Statuses in which an inspection's public report is published: pinned on IPFS and served at /ipfs/{cid}.
 * Not while it is back in review (a revert to NEED_REVIEW withdraws the report) nor DEACTIVATED; a revert
 * to APPROVED keeps the same report and the same NFT, so it stays published.
 */
export const isPublishedStatus = (s: InspectionStatus): boolean => s !== 'NEED_REVIEW' && s !== 'DEACTIVATED';
