import { normaliseEmail, normaliseUsername, toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { UserRepository } from '../../ports/user-repository.js';
import type { ClientInfo } from '../actor.js';
import type { CredentialCheck } from './credential-check.js';
import type { SessionTokens, TokenPair } from './session-tokens.js';

export interface LoginWithPasswordInput {
  /** Email or username. */
  identifier: string;
  password: string;
  client: ClientInfo;
}

/** Login of any account that has a password (customers and staff), by email or username. */
export class LoginWithPassword {
  constructor(
    private readonly users: UserRepository,
    private readonly credentials: CredentialCheck,
    private readonly uow: UnitOfWork,
    private readonly sessionTokens: SessionTokens,
    private readonly clock: Clock,
  ) {}

  async execute(input: LoginWithPasswordInput): Promise<TokenPair & { user: PublicUser }> {
    const id = input.identifier.trim();
    const found = id.includes('@') ? await this.users.findByEmail(normaliseEmail(id)) : await this.users.findByUsername(normaliseUsername(id));
    const user = await this.credentials.verify(found, (u) => u.passwordHash, input.password, 'password');
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      if (user.failedLoginCount > 0 || user.lockedUntil) await tx.users.update(user.id, { failedLoginCount: 0, lockedUntil: null }, now);
      const pair = await this.sessionTokens.start(tx.sessions, user, input.client);
      await tx.audit.record({ actorId: user.id, action: 'LOGIN_SUCCEEDED', entity: 'session', entityId: pair.sessionId, metadata: { method: 'password' } }, now);
      return { ...pair, user: toPublicUser(user) };
    });
  }
}
