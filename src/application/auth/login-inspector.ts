import { AuthErrors } from '../../domain/identity/errors.js';
import { isWellFormedPin, normaliseEmail, type PublicUser } from '../../domain/identity/user.js';
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
  ) {}

  async execute(input: LoginInspectorInput): Promise<TokenPair & { user: PublicUser }> {
    if (!isWellFormedPin(input.pin)) throw AuthErrors.invalidCredentials();
    const found = await this.users.findByEmail(normaliseEmail(input.email));
    const inspector = found && found.role === 'INSPECTOR' ? found : null;
    const user = await this.credentials.verify(inspector, (u) => u.pinHash, input.pin, 'pin');
    return this.sessionTokens.completeLogin(this.uow, user, 'pin', input.client);
  }
}
