import { UserErrors } from '../../domain/identity/errors.js';
import { assertCanGrant, type Role } from '../../domain/identity/role.js';
import { toPublicUser, type PublicUser, type User } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { assertNotLastSuperadmin, loadManageable } from './manageable.js';

/**
 * Changes a user's role. Only SUPERADMIN grants ADMIN/SUPERADMIN. Sessions stay: every request reads the
 * role from the store, so the change applies to the next request.
 */
export class ChangeUserRole {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, userId: string, role: Role, branchCityId?: string): Promise<PublicUser> {
    assertCanGrant(actor.role, role);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const user = await loadManageable(tx, actor, userId);
      if (role !== 'SUPERADMIN') await assertNotLastSuperadmin(tx, user);
      const branchId = branchCityId ?? user.branchCityId;
      // A given branch must exist (and be active for an inspector): never left to a foreign-key violation.
      const branch = branchId ? await tx.branches.findById(branchId) : null;
      if (branchCityId && !branch) throw UserErrors.branchRequired();
      if (role === 'INSPECTOR' && (!branch || !branch.isActive)) throw UserErrors.branchRequired();
      const updated = await tx.users.update(user.id, { role, branchCityId: branchId }, now);
      // Sessions carry the role in their access tokens: a changed role starts again from a fresh login.
      const revokedSessions = role === user.role ? 0 : await tx.sessions.revokeAllForUser(user.id, 'ROLE_CHANGED', now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'ROLE_CHANGED',
          entity: 'user',
          entityId: user.id,
          metadata: { from: user.role, to: role, revokedSessions },
        },
        now,
      );
      return toPublicUser(updated as User);
    });
  }
}
