import { AuthErrors } from '../../domain/identity/errors.js';
import { isWellFormedPin, normaliseEmail, toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { UserRepository } from '../../ports/user-repository.js';
import type { ClientInfo } from '../actor.js';
import type { CredentialCheck } from './credential-check.js';
import type { SessionTokens, TokenPair } from './session-tokens.js';

export interface LoginInspectorInput {
  email: string;
  pin: string;
  client: ClientInfo;
}

/**
 * Inspector login by email + 6-digit PIN. The email selects exactly one account, so the PIN is compared
 * against one hash only; lockout after repeated failures makes the small PIN space impractical to guess.
 */
export class LoginInspector {
  constructor(
    private readonly users: UserRepository,
    private readonly credentials: CredentialCheck,
    private readonly uow: UnitOfWork,
    private readonly sessionTokens: SessionTokens,
    private readonly clock: Clock,
  ) {}

  async execute(input: LoginInspectorInput): Promise<TokenPair & { user: PublicUser }> {
    if (!isWellFormedPin(input.pin)) throw AuthErrors.invalidCredentials();
    const found = await this.users.findByEmail(normaliseEmail(input.email));
    const inspector = found && found.role === 'INSPECTOR' ? found : null;
    const user = await this.credentials.verify(inspector, (u) => u.pinHash, input.pin, 'pin');
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      if (user.failedLoginCount > 0 || user.lockedUntil) await tx.users.update(user.id, { failedLoginCount: 0, lockedUntil: null }, now);
      const pair = await this.sessionTokens.start(tx.sessions, user, input.client);
      await tx.audit.record({ actorId: user.id, action: 'LOGIN_SUCCEEDED', entity: 'session', entityId: pair.sessionId, metadata: { method: 'pin' } }, now);
      return { ...pair, user: toPublicUser(user) };
    });
  }
}
