import { AuthErrors } from '../../domain/identity/errors.js';
import { isLocked, LOCKOUT_POLICY, type User } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

/**
 * The shared part of every login: constant-work check of one secret against one stored hash, lockout
 * after repeated failures, and an audit row for each failure. Lookup happens before (by email/username),
 * so a login never hash-compares against more than one account.
 *
 * Failures are counted atomically in the store (parallel guesses each count), and a correct secret only
 * logs in if no concurrent failure locked the account meanwhile. A locked account answers exactly like a
 * wrong secret (401 AUTH.INVALID_CREDENTIALS), so lockout never tells whether an account exists; the
 * audit trail records ACCOUNT_LOCKED and each refusal.
 */
export class CredentialCheck {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async verify(
    user: User | null,
    hash: (u: User) => string | null,
    secret: string,
    method: 'password' | 'pin',
  ): Promise<User> {
    const now = this.clock.now();
    const stored = user ? hash(user) : null;
    if (!user || stored === null) {
      await this.hasher.burn();
      await this.recordFailure(null, method, 'UNKNOWN_ACCOUNT');
      throw AuthErrors.invalidCredentials();
    }
    if (isLocked(user, now)) {
      await this.hasher.burn();
      await this.recordFailure(user.id, method, 'LOCKED');
      throw AuthErrors.invalidCredentials();
    }
    if (!(await this.hasher.verify(stored, secret))) {
      await this.countFailure(user.id, method, now);
      throw AuthErrors.invalidCredentials();
    }
    if (!(await this.uow.run((tx) => tx.users.clearFailedLogins(user.id, now)))) {
      await this.recordFailure(user.id, method, 'LOCKED');
      throw AuthErrors.invalidCredentials();
    }
    if (!user.isActive) {
      await this.recordFailure(user.id, method, 'INACTIVE');
      throw AuthErrors.accountInactive();
    }
    return user;
  }

  /** One more failure for the account, counted in the store; locks it at the threshold. */
  async countFailure(userId: string, method: 'password' | 'pin', now: Date): Promise<void> {
    await this.uow.run(async (tx) => {
      const next = await tx.users.recordFailedLogin(userId, now, LOCKOUT_POLICY);
      await tx.audit.record(
        {
          actorId: userId,
          action: 'LOGIN_FAILED',
          entity: 'user',
          entityId: userId,
          metadata: { method, reason: 'BAD_SECRET' },
        },
        now,
      );
      if (next?.lockedNow && next.lockedUntil) {
        await tx.audit.record(
          {
            actorId: userId,
            action: 'ACCOUNT_LOCKED',
            entity: 'user',
            entityId: userId,
            metadata: { until: next.lockedUntil.toISOString() },
          },
          now,
        );
      }
    });
  }

  private async recordFailure(userId: string | null, method: string, reason: string): Promise<void> {
    await this.uow.run((tx) =>
      tx.audit.record(
        { actorId: userId, action: 'LOGIN_FAILED', entity: 'user', entityId: userId, metadata: { method, reason } },
        this.clock.now(),
      ),
    );
  }
}
