import type { ContainerModule } from 'inversify';
import { authHandlers } from '../../../adapters/http/handlers/auth-handlers.js';
import { Authenticate } from '../../../application/auth/authenticate.js';
import { CredentialCheck } from '../../../application/auth/credential-check.js';
import { ListMySessions } from '../../../application/auth/list-sessions.js';
import { LoginInspector } from '../../../application/auth/login-inspector.js';
import { LoginWithPassword } from '../../../application/auth/login-with-password.js';
import { Logout } from '../../../application/auth/logout.js';
import { LogoutAll } from '../../../application/auth/logout-all.js';
import { ChangePassword } from '../../../application/auth/change-password.js';
import { GetProfile } from '../../../application/auth/get-profile.js';
import { UpdateProfile } from '../../../application/auth/update-profile.js';
import { RefreshSession } from '../../../application/auth/refresh-session.js';
import { RegisterCustomer } from '../../../application/auth/register-customer.js';
import { SessionTokens } from '../../../application/auth/session-tokens.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { PasswordHasher } from '../../../ports/password-hasher.js';
import { SecretGenerator } from '../../../ports/secrets.js';
import { SessionRepository } from '../../../ports/session-repository.js';
import { TokenIssuer } from '../../../ports/token-issuer.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { UserRepository } from '../../../ports/user-repository.js';
import { Tokens } from '../../tokens.js';
import { featureModule } from '../feature-module.js';

/** Sign-up, log-in (password and inspector PIN), sessions, refresh and the caller's profile. */
export const authFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(
      SessionTokens,
      (g) =>
        new SessionTokens(g(TokenIssuer), g(SecretGenerator), g(IdGenerator), g(Clock), {
          refreshTtlDays: g(Tokens.Config).jwt.refreshTtlDays,
        }),
    );
    b.factory(CredentialCheck, (g) => new CredentialCheck(g(UnitOfWork), g(PasswordHasher), g(Clock)));
    b.factory(Authenticate, (g) => new Authenticate(g(TokenIssuer), g(UserRepository), g(SessionRepository), g(Clock)));
    b.factory(
      RegisterCustomer,
      (g) => new RegisterCustomer(g(UnitOfWork), g(PasswordHasher), g(IdGenerator), g(Clock)),
    );
    b.factory(
      LoginWithPassword,
      (g) => new LoginWithPassword(g(UserRepository), g(CredentialCheck), g(UnitOfWork), g(SessionTokens)),
    );
    b.factory(
      LoginInspector,
      (g) => new LoginInspector(g(UserRepository), g(CredentialCheck), g(UnitOfWork), g(SessionTokens)),
    );
    b.factory(RefreshSession, (g) => new RefreshSession(g(UnitOfWork), g(SecretGenerator), g(SessionTokens), g(Clock)));
    b.factory(Logout, (g) => new Logout(g(UnitOfWork), g(Clock)));
    b.factory(LogoutAll, (g) => new LogoutAll(g(UnitOfWork), g(Clock)));
    b.factory(GetProfile, (g) => new GetProfile(g(UserRepository)));
    b.factory(UpdateProfile, (g) => new UpdateProfile(g(UnitOfWork), g(Clock)));
    b.factory(ChangePassword, (g) => new ChangePassword(g(UserRepository), g(UnitOfWork), g(PasswordHasher), g(Clock)));
    b.factory(ListMySessions, (g) => new ListMySessions(g(SessionRepository), g(Clock)));
    b.handlers((g) =>
      authHandlers({
        changePassword: g(ChangePassword),
        getProfile: g(GetProfile),
        listMySessions: g(ListMySessions),
        loginInspector: g(LoginInspector),
        loginWithPassword: g(LoginWithPassword),
        logout: g(Logout),
        logoutAll: g(LogoutAll),
        refreshSession: g(RefreshSession),
        registerCustomer: g(RegisterCustomer),
        updateProfile: g(UpdateProfile),
      }),
    );
  });
