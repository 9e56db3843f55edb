import { normaliseEmail, normaliseUsername, type PublicUser } from '../../domain/identity/user.js';
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
  ) {}

  async execute(input: LoginWithPasswordInput): Promise<TokenPair & { user: PublicUser }> {
    const id = input.identifier.trim();
    const found = id.includes('@')
      ? await this.users.findByEmail(normaliseEmail(id))
      : await this.users.findByUsername(normaliseUsername(id));
    const user = await this.credentials.verify(found, (u) => u.passwordHash, input.password, 'password');
    return this.sessionTokens.completeLogin(this.uow, user, 'password', input.client);
  }
}
