import { expect } from 'chai';
import { ContainerModule, type Container } from 'inversify';
import { Clock } from '../../../src/ports/clock.js';
import { Authenticate } from '../../../src/application/auth/authenticate.js';
import { LoginInspector } from '../../../src/application/auth/login-inspector.js';
import { LoginWithPassword } from '../../../src/application/auth/login-with-password.js';
import { Logout } from '../../../src/application/auth/logout.js';
import { LogoutAll } from '../../../src/application/auth/logout-all.js';
import { ChangePassword } from '../../../src/application/auth/change-password.js';
import { RefreshSession } from '../../../src/application/auth/refresh-session.js';
import { RegisterCustomer } from '../../../src/application/auth/register-customer.js';
import { SetUserActive } from '../../../src/application/users/set-user-active.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { buildContainer } from '../../../src/main/container.js';
import { AuditLog } from '../../../src/ports/audit-log.js';
import { UserRepository } from '../../../src/ports/user-repository.js';
import { Actors, PASSWORD } from '../../support/actors.js';
import { testConfig } from '../../support/config.js';
import { memoryLogger } from '../../support/logs.js';

const client = { userAgent: 'mocha', ip: '127.0.0.1' };

async function rejects(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(DomainError);
    expect((e as DomainError).code).to.equal(code);
    return e as DomainError;
  }
  return expect.fail(`expected ${code}`);
}

describe('auth use cases (in-memory adapters)', () => {
  let c: Container;
  let actors: Actors;

  beforeEach(() => {
    c = buildContainer({ config: testConfig(), logger: memoryLogger().logger });
    actors = new Actors(c);
  });

  describe('register and login', () => {
    it('registers a customer with a normalised email and logs in by email or username', async () => {
      const user = await c
        .get(RegisterCustomer)
        .execute({ email: ' Budi@Example.com ', username: 'Budi', name: 'Budi', password: PASSWORD });
      expect(user).to.include({ email: 'budi@example.com', username: 'budi', role: 'CUSTOMER', isActive: true });
      expect(user).to.not.have.property('passwordHash');
      const byEmail = await c
        .get(LoginWithPassword)
        .execute({ identifier: 'BUDI@example.com', password: PASSWORD, client });
      const byName = await c.get(LoginWithPassword).execute({ identifier: 'budi', password: PASSWORD, client });
      expect(byEmail.sessionId).to.not.equal(byName.sessionId, 'each login is its own session');
      expect((await c.get(Authenticate).execute(byEmail.accessToken)).user.id).to.equal(user.id);
    });

    it('refuses a duplicate email with USER.EMAIL_TAKEN', async () => {
      await c.get(RegisterCustomer).execute({ email: 'a@b.co', name: 'A', password: PASSWORD });
      await rejects(
        c.get(RegisterCustomer).execute({ email: 'A@B.CO', name: 'B', password: PASSWORD }),
        'USER.EMAIL_TAKEN',
      );
    });

    it('answers the same error for an unknown account and a wrong password, and audits both', async () => {
      await c.get(RegisterCustomer).execute({ email: 'a@b.co', name: 'A', password: PASSWORD });
      await rejects(
        c.get(LoginWithPassword).execute({ identifier: 'nobody@b.co', password: PASSWORD, client }),
        'AUTH.INVALID_CREDENTIALS',
      );
      await rejects(
        c.get(LoginWithPassword).execute({ identifier: 'a@b.co', password: 'wrong-password!', client }),
        'AUTH.INVALID_CREDENTIALS',
      );
      const audit = await c.get<AuditLog>(AuditLog).list({ action: 'LOGIN_FAILED' }, { page: 1, pageSize: 10 });
      expect(audit.items.map((e) => e.metadata.reason).sort()).to.deep.equal(['BAD_SECRET', 'UNKNOWN_ACCOUNT']);
    });

    it('locks the account after five wrong passwords, even for the right password, answering like a wrong password', async () => {
      await c.get(RegisterCustomer).execute({ email: 'a@b.co', name: 'A', password: PASSWORD });
      for (let i = 0; i < 5; i++)
        await rejects(
          c.get(LoginWithPassword).execute({ identifier: 'a@b.co', password: `wrong-${i}-password`, client }),
          'AUTH.INVALID_CREDENTIALS',
        );
      await rejects(
        c.get(LoginWithPassword).execute({ identifier: 'a@b.co', password: PASSWORD, client }),
        'AUTH.INVALID_CREDENTIALS',
      );
      expect(
        (await c.get<AuditLog>(AuditLog).list({ action: 'ACCOUNT_LOCKED' }, { page: 1, pageSize: 5 })).total,
      ).to.equal(1);
      const refusals = await c.get<AuditLog>(AuditLog).list({ action: 'LOGIN_FAILED' }, { page: 1, pageSize: 10 });
      expect(refusals.items.map((e) => e.metadata.reason)).to.include('LOCKED');
    });
  });

  describe('inspector PIN login', () => {
    it('logs an inspector in with email + PIN and refuses PIN login for other roles', async () => {
      const inspector = await actors.create('INSPECTOR');
      const r = await c
        .get(LoginInspector)
        .execute({ email: inspector.user.email as string, pin: inspector.secret, client });
      expect(r.user.role).to.equal('INSPECTOR');
      const wrong = inspector.secret === '000000' ? '000001' : '000000';
      await rejects(
        c.get(LoginInspector).execute({ email: inspector.user.email as string, pin: wrong, client }),
        'AUTH.INVALID_CREDENTIALS',
      );
      const admin = await actors.create('ADMIN');
      await rejects(
        c.get(LoginInspector).execute({ email: admin.user.email as string, pin: '123456', client }),
        'AUTH.INVALID_CREDENTIALS',
      );
    });

    it('never stores the PIN in clear', async () => {
      const inspector = await actors.create('INSPECTOR');
      const stored = await c.get<UserRepository>(UserRepository).findById(inspector.user.id);
      expect(stored?.pinHash).to.match(/^\$argon2id\$/);
      expect(stored?.pinHash).to.not.contain(inspector.secret);
      expect(stored?.passwordHash).to.equal(null);
    });
  });

  describe('refresh rotation', () => {
    it('rotates: the new refresh token works, the old one is refused and revokes the session', async () => {
      const a = await actors.create('CUSTOMER');
      const refresh = c.get(RefreshSession);
      const next = await refresh.execute(a.refreshToken);
      expect(next.sessionId).to.equal(a.sessionId);
      expect(next.refreshToken).to.not.equal(a.refreshToken);
      await rejects(refresh.execute(a.refreshToken), 'AUTH.REFRESH_TOKEN_REUSED');
      await rejects(refresh.execute(next.refreshToken), 'AUTH.SESSION_REVOKED');
      await rejects(c.get(Authenticate).execute(next.accessToken), 'AUTH.SESSION_REVOKED');
      expect(
        (await c.get<AuditLog>(AuditLog).list({ action: 'REFRESH_TOKEN_REUSED' }, { page: 1, pageSize: 5 })).total,
      ).to.equal(1);
    });

    it("a reuse in one session leaves the user's other sessions alone", async () => {
      const a = await actors.create('CUSTOMER');
      const other = await c
        .get(LoginWithPassword)
        .execute({ identifier: a.user.email as string, password: PASSWORD, client });
      await c.get(RefreshSession).execute(a.refreshToken);
      await rejects(c.get(RefreshSession).execute(a.refreshToken), 'AUTH.REFRESH_TOKEN_REUSED');
      expect((await c.get(Authenticate).execute(other.accessToken)).sessionId).to.equal(other.sessionId);
    });

    it('refuses an unknown token', async () => {
      await rejects(c.get(RefreshSession).execute('x'.repeat(43)), 'AUTH.INVALID_TOKEN');
    });
  });

  describe('logout, deactivation and password change', () => {
    it('logout ends this session only; logout-all ends every session', async () => {
      const a = await actors.create('CUSTOMER');
      const b = await c
        .get(LoginWithPassword)
        .execute({ identifier: a.user.email as string, password: PASSWORD, client });
      const actor = { userId: a.user.id, role: a.user.role };
      await c.get(Logout).execute(actor, a.sessionId);
      await rejects(c.get(Authenticate).execute(a.token), 'AUTH.SESSION_REVOKED');
      await c.get(Authenticate).execute(b.accessToken);
      const d = await c
        .get(LoginWithPassword)
        .execute({ identifier: a.user.email as string, password: PASSWORD, client });
      expect(await c.get(LogoutAll).execute(actor)).to.equal(2);
      await rejects(c.get(Authenticate).execute(b.accessToken), 'AUTH.SESSION_REVOKED');
      await rejects(c.get(RefreshSession).execute(d.refreshToken), 'AUTH.SESSION_REVOKED');
    });

    it('a deactivated user is refused on the next request, not only at login', async () => {
      const admin = await actors.create('ADMIN');
      const user = await actors.create('CUSTOMER');
      await c.get(Authenticate).execute(user.token);
      await c.get(SetUserActive).execute({ userId: admin.user.id, role: 'ADMIN' }, user.user.id, false);
      await rejects(c.get(Authenticate).execute(user.token), 'AUTH.ACCOUNT_INACTIVE');
      await rejects(
        c.get(LoginWithPassword).execute({ identifier: user.user.email as string, password: PASSWORD, client }),
        'AUTH.ACCOUNT_INACTIVE',
      );
    });

    it('changing the password keeps this session and revokes the others', async () => {
      const a = await actors.create('REVIEWER');
      const other = await c
        .get(LoginWithPassword)
        .execute({ identifier: a.user.email as string, password: PASSWORD, client });
      const actor = { userId: a.user.id, role: a.user.role };
      await rejects(
        c
          .get(ChangePassword)
          .execute(actor, a.sessionId, { currentPassword: 'not-it-at-all', newPassword: 'brand-new-password' }),
        'AUTH.WRONG_PASSWORD',
      );
      const r = await c
        .get(ChangePassword)
        .execute(actor, a.sessionId, { currentPassword: PASSWORD, newPassword: 'brand-new-password' });
      expect(r.revokedSessions).to.equal(1);
      await c.get(Authenticate).execute(a.token);
      await rejects(c.get(Authenticate).execute(other.accessToken), 'AUTH.SESSION_REVOKED');
      await c
        .get(LoginWithPassword)
        .execute({ identifier: a.user.email as string, password: 'brand-new-password', client });
    });
  });
});

describe('auth use cases with an overridden clock (test container = production modules + overrides)', () => {
  it('a lockout ends after 15 minutes', async () => {
    let now = new Date('2026-03-01T08:00:00.000Z');
    const clock = new ContainerModule(({ rebind }) => {
      rebind<Clock>(Clock).toConstantValue({ now: () => now });
    });
    const c = buildContainer({ config: testConfig(), logger: memoryLogger().logger, overrides: [clock] });
    await c.get(RegisterCustomer).execute({ email: 'a@b.co', name: 'A', password: PASSWORD });
    for (let i = 0; i < 5; i++)
      await rejects(
        c.get(LoginWithPassword).execute({ identifier: 'a@b.co', password: `nope-${i}-nope`, client }),
        'AUTH.INVALID_CREDENTIALS',
      );
    now = new Date(now.getTime() + 14 * 60_000);
    await rejects(
      c.get(LoginWithPassword).execute({ identifier: 'a@b.co', password: PASSWORD, client }),
      'AUTH.INVALID_CREDENTIALS',
    );
    const lock = await c.get<AuditLog>(AuditLog).list({ action: 'ACCOUNT_LOCKED' }, { page: 1, pageSize: 5 });
    expect(lock.items[0]?.metadata.until).to.equal('2026-03-01T08:15:00.000Z');
    now = new Date(now.getTime() + 2 * 60_000);
    const ok = await c.get(LoginWithPassword).execute({ identifier: 'a@b.co', password: PASSWORD, client });
    expect(ok.user.email).to.equal('a@b.co');
  });
});
