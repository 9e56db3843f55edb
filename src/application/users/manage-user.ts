import { UserErrors } from '../../domain/identity/errors.js';
import { assertCanGrant, assertCanManage, type Role } from '../../domain/identity/role.js';
import { toPublicUser, type PublicUser, type User } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { SecretGenerator } from '../../ports/secrets.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** Loads the subject for an admin action and applies the rules every such action shares. */
async function loadManageable(tx: TransactionalPorts, actor: Actor, userId: string): Promise<User> {
  const user = await tx.users.findById(userId);
  if (!user) throw UserErrors.notFound();
  if (user.id === actor.userId) throw UserErrors.selfChange();
  assertCanManage(actor.role, user.role);
  return user;
}

async function assertNotLastSuperadmin(tx: TransactionalPorts, user: User): Promise<void> {
  if (user.role === 'SUPERADMIN' && user.isActive && (await tx.users.countActiveByRole('SUPERADMIN')) <= 1)
    throw UserErrors.lastSuperadmin();
}

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

/** Deactivates (revoking every session) or re-activates a user. */
export class SetUserActive {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, userId: string, active: boolean): Promise<PublicUser> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const user = await loadManageable(tx, actor, userId);
      if (!active) await assertNotLastSuperadmin(tx, user);
      const updated = await tx.users.update(user.id, { isActive: active, failedLoginCount: 0, lockedUntil: null }, now);
      if (!active) await tx.sessions.revokeAllForUser(user.id, 'DEACTIVATED', now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: active ? 'USER_ACTIVATED' : 'USER_DEACTIVATED',
          entity: 'user',
          entityId: user.id,
        },
        now,
      );
      return toPublicUser(updated as User);
    });
  }
}

/** Issues a new PIN for an inspector (shown once), revoking the inspector's sessions. */
export class RegenerateInspectorPin {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly secrets: SecretGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, userId: string): Promise<{ user: PublicUser; pin: string }> {
    const pin = this.secrets.pin();
    const pinHash = await this.hasher.hash(pin);
    const user = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const subject = await loadManageable(tx, actor, userId);
      if (subject.role !== 'INSPECTOR') throw UserErrors.notInspector();
      const updated = await tx.users.update(subject.id, { pinHash, failedLoginCount: 0, lockedUntil: null }, now);
      await tx.sessions.revokeAllForUser(subject.id, 'PIN_REGENERATED', now);
      await tx.audit.record(
        { actorId: actor.userId, action: 'PIN_REGENERATED', entity: 'user', entityId: subject.id },
        now,
      );
      return updated as User;
    });
    return { user: toPublicUser(user), pin };
  }
}
