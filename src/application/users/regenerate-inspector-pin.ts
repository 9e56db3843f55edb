import { UserErrors } from '../../domain/identity/errors.js';
import { toPublicUser, type PublicUser, type User } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { SecretGenerator } from '../../ports/secrets.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadManageable } from './manageable.js';

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
