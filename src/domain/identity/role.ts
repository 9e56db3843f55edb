import { DomainError } from '../shared/domain-error.js';

export const ROLES = ['SUPERADMIN', 'ADMIN', 'REVIEWER', 'INSPECTOR', 'CUSTOMER'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ADMIN_ROLES: readonly Role[] = ['SUPERADMIN', 'ADMIN'];

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

const PRIVILEGED: readonly Role[] = ['SUPERADMIN', 'ADMIN'];

/**
 * May `actor` create a user with, or grant, `target` role? Only SUPERADMIN may create or grant ADMIN or
 * SUPERADMIN; ADMIN may manage the other roles; nobody else manages users.
 */
export function canGrantRole(actor: Role, target: Role): boolean {
  if (actor === 'SUPERADMIN') return true;
  if (actor === 'ADMIN') return !PRIVILEGED.includes(target);
  return false;
}

/**
 * May `actor` change (role, active flag, PIN) an existing user whose role is `subject`? An ADMIN cannot
 * touch ADMIN or SUPERADMIN accounts.
 */
export function canManageUser(actor: Role, subject: Role): boolean {
  return canGrantRole(actor, subject);
}

export function assertCanGrant(actor: Role, target: Role): void {
  if (!canGrantRole(actor, target)) {
    throw new DomainError('USER.ROLE_NOT_GRANTABLE', 'forbidden', `A ${actor} may not grant the ${target} role.`);
  }
}

export function assertCanManage(actor: Role, subject: Role): void {
  if (!canManageUser(actor, subject)) {
    throw new DomainError('USER.NOT_MANAGEABLE', 'forbidden', `A ${actor} may not manage a ${subject} account.`);
  }
}
