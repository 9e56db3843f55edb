import { AuthErrors } from '../../domain/identity/errors.js';
import { afterFailedLogin, isLocked, type User } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

/**
 * The shared part of every login: constant-work check of one secret against one stored hash, lockout
 * after repeated failures, and an audit row for each failure. Lookup happens before (by email/username),
 * so a login never hash-compares against more than one account.
 */
export class CredentialCheck {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async verify(user: User | null, hash: (u: User) => string | null, secret: string, method: 'password' | 'pin'): Promise<User> {
    const now = this.clock.now();
    const stored = user ? hash(user) : null;
    if (!user || stored === null) {
      await this.hasher.burn();
      await this.recordFailure(null, method, 'UNKNOWN_ACCOUNT');
      throw AuthErrors.invalidCredentials();
    }
    if (isLocked(user, now)) throw AuthErrors.accountLocked(user.lockedUntil as Date);
    if (!(await this.hasher.verify(stored, secret))) {
      const next = afterFailedLogin(user, now);
      await this.uow.run(async (tx) => {
        await tx.users.update(user.id, next, now);
        await tx.audit.record({ actorId: user.id, action: 'LOGIN_FAILED', entity: 'user', entityId: user.id, metadata: { method, reason: 'BAD_SECRET' } }, now);
        if (next.lockedUntil) {
          await tx.audit.record({ actorId: user.id, action: 'ACCOUNT_LOCKED', entity: 'user', entityId: user.id, metadata: { until: next.lockedUntil.toISOString() } }, now);
        }
      });
      throw AuthErrors.invalidCredentials();
    }
    if (!user.isActive) {
      await this.recordFailure(user.id, method, 'INACTIVE');
      throw AuthErrors.accountInactive();
    }
    return user;
  }

  private async recordFailure(userId: string | null, method: string, reason: string): Promise<void> {
    await this.uow.run((tx) =>
      tx.audit.record({ actorId: userId, action: 'LOGIN_FAILED', entity: 'user', entityId: userId, metadata: { method, reason } }, this.clock.now()),
    );
  }
}
