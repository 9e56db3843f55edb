import { UserErrors } from '../../domain/identity/errors.js';
import { assertCanManage } from '../../domain/identity/role.js';
import type { User } from '../../domain/identity/user.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** Loads the subject for an admin action and applies the rules every such action shares. */
export async function loadManageable(tx: TransactionalPorts, actor: Actor, userId: string): Promise<User> {
  const user = await tx.users.findById(userId);
  if (!user) throw UserErrors.notFound();
  if (user.id === actor.userId) throw UserErrors.selfChange();
  assertCanManage(actor.role, user.role);
  return user;
}

/** USER.LAST_SUPERADMIN when `user` is the last active SUPERADMIN. */
export async function assertNotLastSuperadmin(tx: TransactionalPorts, user: User): Promise<void> {
  if (user.role === 'SUPERADMIN' && user.isActive && (await tx.users.countActiveByRole('SUPERADMIN')) <= 1)
    throw UserErrors.lastSuperadmin();
}
