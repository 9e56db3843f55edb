import { AuthErrors, UserErrors } from '../../domain/identity/errors.js';
import { isLocked, LOCKOUT_POLICY, throwIfInvalid, validatePassword } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { UserRepository } from '../../ports/user-repository.js';
import type { Actor } from '../actor.js';

/** The current password (checked like a login) and the new one. */
export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** Changes the caller's password; every other session of the user is revoked. */
export class ChangePassword {
  constructor(
    private readonly users: UserRepository,
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, sessionId: string, input: ChangePasswordInput): Promise<{ revokedSessions: number }> {
    throwIfInvalid([validatePassword(input.newPassword, '/newPassword')]);
    const user = await this.users.findById(actor.userId);
    if (!user) throw UserErrors.notFound();
    if (!user.passwordHash) throw AuthErrors.noPassword();
    // Wrong current passwords count like failed logins: a stolen session cannot guess its way to a new password.
    if (isLocked(user, this.clock.now())) throw AuthErrors.accountLocked(user.lockedUntil as Date);
    if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
      await this.uow.run(async (tx) => {
        const now = this.clock.now();
        const next = await tx.users.recordFailedLogin(user.id, now, LOCKOUT_POLICY);
        await tx.audit.record(
          {
            actorId: user.id,
            action: 'LOGIN_FAILED',
            entity: 'user',
            entityId: user.id,
            metadata: { method: 'password', reason: 'BAD_CURRENT_PASSWORD' },
          },
          now,
        );
        if (next?.lockedNow && next.lockedUntil)
          await tx.audit.record(
            {
              actorId: user.id,
              action: 'ACCOUNT_LOCKED',
              entity: 'user',
              entityId: user.id,
              metadata: { until: next.lockedUntil.toISOString() },
            },
            now,
          );
      });
      throw AuthErrors.wrongPassword();
    }
    const passwordHash = await this.hasher.hash(input.newPassword);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      await tx.users.update(user.id, { passwordHash }, now);
      const revokedSessions = await tx.sessions.revokeAllForUser(user.id, 'PASSWORD_CHANGED', now, sessionId);
      await tx.audit.record(
        {
          actorId: user.id,
          action: 'PASSWORD_CHANGED',
          entity: 'user',
          entityId: user.id,
          metadata: { revokedSessions },
        },
        now,
      );
      return { revokedSessions };
    });
  }
}
