import type { ChangePassword } from '../../../application/auth/change-password.js';
import type { GetProfile } from '../../../application/auth/get-profile.js';
import type { UpdateProfile } from '../../../application/auth/update-profile.js';
import type { ListMySessions } from '../../../application/auth/list-sessions.js';
import type { LoginInspector } from '../../../application/auth/login-inspector.js';
import type { LoginWithPassword } from '../../../application/auth/login-with-password.js';
import type { Logout } from '../../../application/auth/logout.js';
import type { LogoutAll } from '../../../application/auth/logout-all.js';
import type { RefreshSession } from '../../../application/auth/refresh-session.js';
import type { RegisterCustomer } from '../../../application/auth/register-customer.js';
import type { Request } from 'express';
import type { ClientInfo } from '../../../application/actor.js';
import type { TokenPair } from '../../../application/auth/session-tokens.js';
import { actorOf, sessionOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

const clientOf = (req: Request): ClientInfo => ({ userAgent: req.get('user-agent') ?? null, ip: req.ip ?? null });

const tokenBody = (p: TokenPair) => ({
  tokenType: 'Bearer',
  accessToken: p.accessToken,
  accessTokenExpiresAt: p.accessTokenExpiresAt,
  refreshToken: p.refreshToken,
  refreshTokenExpiresAt: p.refreshTokenExpiresAt,
  sessionId: p.sessionId,
});

/** The use cases these handlers call. */
export interface AuthUseCases {
  changePassword: ChangePassword;
  getProfile: GetProfile;
  listMySessions: ListMySessions;
  loginInspector: LoginInspector;
  loginWithPassword: LoginWithPassword;
  logout: Logout;
  logoutAll: LogoutAll;
  refreshSession: RefreshSession;
  registerCustomer: RegisterCustomer;
  updateProfile: UpdateProfile;
}

export function authHandlers(uc: AuthUseCases): OperationHandlers {
  return {
    registerCustomer: async (_req, res) => {
      const b = validOf(res).body as { email: string; username?: string; name: string; password: string };
      const user = await uc.registerCustomer.execute(b);
      res.status(201).location(`/api/v1/auth/me`).json(user);
    },
    login: async (req, res) => {
      const b = validOf(res).body as { identifier?: string; email?: string; username?: string; password: string };
      const identifier = (b.identifier ?? b.email ?? b.username) as string;
      const r = await uc.loginWithPassword.execute({ identifier, password: b.password, client: clientOf(req) });
      res.json({ ...tokenBody(r), user: r.user });
    },
    loginInspector: async (req, res) => {
      const b = validOf(res).body as { email: string; pin: string };
      const r = await uc.loginInspector.execute({ email: b.email, pin: b.pin, client: clientOf(req) });
      res.json({ ...tokenBody(r), user: r.user });
    },
    refreshToken: async (_req, res) => {
      const b = validOf(res).body as { refreshToken: string };
      res.json(tokenBody(await uc.refreshSession.execute(b.refreshToken)));
    },
    logout: async (_req, res) => {
      await uc.logout.execute(actorOf(res), sessionOf(res));
      res.status(204).end();
    },
    logoutAll: async (_req, res) => {
      res.json({ revokedSessions: await uc.logoutAll.execute(actorOf(res)) });
    },
    getMe: async (_req, res) => {
      res.json(await uc.getProfile.execute(actorOf(res)));
    },
    updateMe: async (_req, res) => {
      res.json(
        await uc.updateProfile.execute(actorOf(res), validOf(res).body as { name?: string; username?: string | null }),
      );
    },
    changePassword: async (_req, res) => {
      const b = validOf(res).body as { currentPassword: string; newPassword: string };
      res.json(await uc.changePassword.execute(actorOf(res), sessionOf(res), b));
    },
    listMySessions: async (_req, res) => {
      const current = sessionOf(res);
      const sessions = await uc.listMySessions.execute(actorOf(res));
      res.json({
        items: sessions.map((s) => ({
          id: s.id,
          createdAt: s.createdAt,
          lastUsedAt: s.lastUsedAt,
          expiresAt: s.expiresAt,
          userAgent: s.userAgent,
          ip: s.ip,
          current: s.id === current,
        })),
      });
    },
  };
}
