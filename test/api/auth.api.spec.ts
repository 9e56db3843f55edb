import { expect } from 'chai';
import type { Knex } from 'knex';
import { TokenIssuer } from '../../src/ports/token-issuer.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, PASSWORD } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { LOCKOUT_THRESHOLD } from '../../src/domain/identity/user.js';

describe('API: authentication flows (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let actors: Actors;

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    t = buildTestApp({ knex });
    actors = new Actors(t.container);
  });

  it('register -> login -> me -> refresh -> logout, with audit rows carrying the request id', async () => {
    const reg = await t.api
      .post('/api/v1/auth/register')
      .set('x-request-id', 'req-register-1')
      .send({ email: 'Budi@Example.com', username: 'budi', name: 'Budi', password: PASSWORD });
    expect(reg.status).to.equal(201);
    expect(reg.headers['x-request-id']).to.equal('req-register-1');
    expect(reg.body).to.include({ email: 'budi@example.com', role: 'CUSTOMER' });

    const login = await t.api.post('/api/v1/auth/login').send({ username: 'budi', password: PASSWORD });
    expect(login.status).to.equal(200);
    expect(login.body.user.id).to.equal(reg.body.id);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };

    const me = await t.api.get('/api/v1/auth/me').set(auth);
    expect(me.status).to.equal(200);
    expect(me.body.email).to.equal('budi@example.com');

    const refreshed = await t.api.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.sessionId).to.equal(login.body.sessionId);

    const sessions = await t.api
      .get('/api/v1/auth/sessions')
      .set({ Authorization: `Bearer ${refreshed.body.accessToken}` });
    expect(sessions.body.items).to.have.length(1);
    expect(sessions.body.items[0]).to.include({ id: login.body.sessionId, current: true });

    expect((await t.api.post('/api/v1/auth/logout').set(auth)).status).to.equal(204);
    const after = await t.api.get('/api/v1/auth/me').set(auth);
    expect(after.status).to.equal(401);
    expect(after.body.code).to.equal('AUTH.SESSION_REVOKED');
    const refreshAfter = await t.api.post('/api/v1/auth/refresh').send({ refreshToken: refreshed.body.refreshToken });
    expect(refreshAfter.body.code).to.equal('AUTH.SESSION_REVOKED');

    const audit = await knex('audit_logs').where({ action: 'USER_REGISTERED' }).first();
    expect(audit).to.include({ request_id: 'req-register-1', entity_id: reg.body.id });
  });

  it('a duplicate registration is a 409 with a stable code, never a 500', async () => {
    await t.api.post('/api/v1/auth/register').send({ email: 'a@b.co', name: 'A', password: PASSWORD }).expect(201);
    const dup = await t.api.post('/api/v1/auth/register').send({ email: 'A@B.CO', name: 'B', password: PASSWORD });
    expect(dup.status).to.equal(409);
    expect(dup.body.code).to.equal('USER.EMAIL_TAKEN');
  });

  it('a weak password is refused with the field named', async () => {
    const r = await t.api.post('/api/v1/auth/register').send({ email: 'a@b.co', name: 'A', password: 'aaaaaaaaaaaa' });
    expect(r.status).to.equal(400);
    expect(r.body.errors).to.deep.equal([{ path: '/password', message: 'is too repetitive' }]);
  });

  it('reusing a rotated refresh token revokes the session (401 AUTH.REFRESH_TOKEN_REUSED)', async () => {
    const c = await actors.create('CUSTOMER');
    const next = await t.api.post('/api/v1/auth/refresh').send({ refreshToken: c.refreshToken }).expect(200);
    const reuse = await t.api.post('/api/v1/auth/refresh').send({ refreshToken: c.refreshToken });
    expect(reuse.status).to.equal(401);
    expect(reuse.body.code).to.equal('AUTH.REFRESH_TOKEN_REUSED');
    const me = await t.api.get('/api/v1/auth/me').set({ Authorization: `Bearer ${next.body.accessToken}` });
    expect(me.body.code).to.equal('AUTH.SESSION_REVOKED');
  });

  it('concurrent refreshes with one token: exactly one succeeds', async () => {
    const c = await actors.create('CUSTOMER');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.api.post('/api/v1/auth/refresh').send({ refreshToken: c.refreshToken })),
    );
    expect(results.filter((r) => r.status === 200)).to.have.length(1);
    expect(results.filter((r) => r.status === 401).map((r) => r.body.code)).to.have.length(4);
  });

  it('inspector logs in with email + PIN; a wrong PIN is 401; five wrong PINs lock (answered as 401 too)', async () => {
    const i = await actors.create('INSPECTOR');
    const ok = await t.api.post('/api/v1/auth/login/inspector').send({ email: i.user.email, pin: i.secret });
    expect(ok.status).to.equal(200);
    expect(ok.body.user.role).to.equal('INSPECTOR');
    const wrong = i.secret === '111111' ? '222222' : '111111';
    for (let n = 0; n < 5; n++) {
      const r = await t.api.post('/api/v1/auth/login/inspector').send({ email: i.user.email, pin: wrong });
      expect(r.status).to.equal(401);
      expect(r.body.code).to.equal('AUTH.INVALID_CREDENTIALS');
    }
    const locked = await t.api.post('/api/v1/auth/login/inspector').send({ email: i.user.email, pin: i.secret });
    expect(locked.status).to.equal(401);
    expect(locked.body.code).to.equal('AUTH.INVALID_CREDENTIALS');
  });

  it('40 parallel wrong passwords lock the account; the right password is then refused until the lock ends', async () => {
    const email = 'parallel@example.com';
    await t.api
      .post('/api/v1/auth/register')
      .send({ email, name: 'Par', password: 'the-right-password-1' })
      .expect(201);
    const tries = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        t.api.post('/api/v1/auth/login').send({ identifier: email, password: `wrong-password-${n}` }),
      ),
    );
    expect(tries.map((r) => r.status).every((s) => s === 401)).to.equal(true);
    const row = await knex('users').where({ email }).first('failed_login_count', 'locked_until');
    expect(row.locked_until, 'locked').to.be.instanceOf(Date);
    expect((row.locked_until as Date).getTime()).to.be.greaterThan(Date.now() + 14 * 60_000);
    const failures = await knex('audit_logs').where({ action: 'LOGIN_FAILED' }).select('metadata');
    expect(failures, 'every attempt is audited').to.have.length(40);
    const counted = failures.filter((f: { metadata: { reason: string } }) => f.metadata.reason === 'BAD_SECRET').length;
    const locks = Number((await knex('audit_logs').where({ action: 'ACCOUNT_LOCKED' }).count({ n: '*' }).first())?.n);
    // Attempts that read the account after it locked are refused without a password check; every counted
    // failure counts: each fifth one locks.
    expect(counted).to.be.at.least(5);
    expect(locks).to.equal(Math.floor(counted / 5));
    const right = await t.api.post('/api/v1/auth/login').send({ identifier: email, password: 'the-right-password-1' });
    expect(right.status).to.equal(401);
    expect(right.body.code).to.equal('AUTH.INVALID_CREDENTIALS');
    // Same answer as for an account that does not exist: lockout does not reveal accounts.
    const nobody = await t.api
      .post('/api/v1/auth/login')
      .send({ identifier: 'nobody@example.com', password: 'the-right-password-1' });
    expect([nobody.status, nobody.body.code, nobody.body.detail]).to.deep.equal([
      right.status,
      right.body.code,
      right.body.detail,
    ]);
    // Once the lock has ended, the right password logs in and clears the count.
    await knex('users')
      .where({ email })
      .update({ locked_until: new Date(Date.now() - 1000) });
    const after = await t.api.post('/api/v1/auth/login').send({ identifier: email, password: 'the-right-password-1' });
    expect(after.status).to.equal(200);
    expect(await knex('users').where({ email }).first('failed_login_count', 'locked_until')).to.deep.equal({
      failed_login_count: 0,
      locked_until: null,
    });
  });

  it('40 parallel wrong PINs lock an inspector the same way', async () => {
    const i = await actors.create('INSPECTOR');
    const wrong = (n: number) => String((Number(i.secret) + 1 + n) % 1_000_000).padStart(6, '0');
    const tries = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        t.api.post('/api/v1/auth/login/inspector').send({ email: i.user.email, pin: wrong(n) }),
      ),
    );
    expect(tries.map((r) => r.status).every((s) => s === 401)).to.equal(true);
    const right = await t.api.post('/api/v1/auth/login/inspector').send({ email: i.user.email, pin: i.secret });
    expect(right.status).to.equal(401);
    expect((await knex('users').where({ id: i.user.id }).first('locked_until')).locked_until).to.be.instanceOf(Date);
  });

  it('wrong current passwords at /auth/me/password count toward the lock', async () => {
    const email = 'changer@example.com';
    await t.api.post('/api/v1/auth/register').send({ email, name: 'Ch', password: 'the-right-password-1' }).expect(201);
    const login = await t.api.post('/api/v1/auth/login').send({ identifier: email, password: 'the-right-password-1' });
    const auth = { authorization: `Bearer ${login.body.accessToken}` };
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        t.api
          .post('/api/v1/auth/me/password')
          .set(auth)
          .send({ currentPassword: `wrong-current-${n}`, newPassword: 'a-new-password-123' }),
      ),
    );
    // In parallel, a try that reads the account after the fifth failure set the lock is refused as locked
    // (423) without being checked; every other one is a counted wrong password. Each counted one is audited.
    const codes = tries.map((r) => r.body.code as string);
    expect(
      codes.filter((c) => c !== 'AUTH.WRONG_PASSWORD' && c !== 'AUTH.ACCOUNT_LOCKED'),
      'only these two',
    ).to.deep.equal([]);
    const counted = codes.filter((c) => c === 'AUTH.WRONG_PASSWORD').length;
    expect(counted, 'at least the threshold was counted').to.be.at.least(LOCKOUT_THRESHOLD);
    const user = await knex('users').where({ email }).first('id', 'locked_until');
    expect(user.locked_until).to.be.instanceOf(Date);
    const failures = await knex('audit_logs')
      .where({ action: 'LOGIN_FAILED', entity_id: user.id })
      .count({ n: '*' })
      .first();
    expect(Number(failures?.n), 'every counted try is audited').to.equal(counted);
    const right = await t.api
      .post('/api/v1/auth/me/password')
      .set(auth)
      .send({ currentPassword: 'the-right-password-1', newPassword: 'a-new-password-123' });
    expect(right.status).to.equal(423);
    expect(right.body.code).to.equal('AUTH.ACCOUNT_LOCKED');
  });

  it('a deactivated user is refused on the very next request', async () => {
    const admin = await actors.create('ADMIN');
    const c = await actors.create('CUSTOMER');
    await t.api.get('/api/v1/auth/me').set(c.auth).expect(200);
    await t.api.post(`/api/v1/admin/users/${c.user.id}/deactivate`).set(admin.auth).expect(200);
    const r = await t.api.get('/api/v1/auth/me').set(c.auth);
    expect(r.status).to.equal(401);
    expect(r.body.code).to.equal('AUTH.ACCOUNT_INACTIVE');
    const login = await t.api.post('/api/v1/auth/login').send({ identifier: c.user.email, password: PASSWORD });
    expect(login.body.code).to.equal('AUTH.ACCOUNT_INACTIVE');
  });

  it('logout-all ends every device; password change keeps this one and ends the others', async () => {
    const c = await actors.create('CUSTOMER');
    const second = await t.api
      .post('/api/v1/auth/login')
      .send({ identifier: c.user.email, password: PASSWORD })
      .expect(200);
    const change = await t.api
      .post('/api/v1/auth/me/password')
      .set(c.auth)
      .send({ currentPassword: PASSWORD, newPassword: 'a-new-long-password' });
    expect(change.status).to.equal(200);
    expect(change.body.revokedSessions).to.equal(1);
    expect(
      (await t.api.get('/api/v1/auth/me').set({ Authorization: `Bearer ${second.body.accessToken}` })).status,
    ).to.equal(401);
    const wrong = await t.api
      .post('/api/v1/auth/me/password')
      .set(c.auth)
      .send({ currentPassword: 'not-the-password', newPassword: 'whatever-long-1' });
    expect(wrong.status).to.equal(422);
    expect(wrong.body.code).to.equal('AUTH.WRONG_PASSWORD');
    const third = await t.api
      .post('/api/v1/auth/login')
      .send({ identifier: c.user.email, password: 'a-new-long-password' })
      .expect(200);
    const all = await t.api.post('/api/v1/auth/logout-all').set(c.auth);
    expect(all.body.revokedSessions).to.equal(2);
    expect(
      (await t.api.get('/api/v1/auth/me').set({ Authorization: `Bearer ${third.body.accessToken}` })).status,
    ).to.equal(401);
  });

  it('PATCH /auth/me updates name and username; a taken username is 409', async () => {
    const a = await actors.create('CUSTOMER');
    const b = await actors.create('CUSTOMER');
    await t.api.patch('/api/v1/auth/me').set(b.auth).send({ username: 'taken' }).expect(200);
    const r = await t.api.patch('/api/v1/auth/me').set(a.auth).send({ name: 'New Name', username: 'Fresh.Name' });
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ name: 'New Name', username: 'fresh.name' });
    expect((await t.api.patch('/api/v1/auth/me').set(a.auth).send({ username: 'taken' })).body.code).to.equal(
      'USER.USERNAME_TAKEN',
    );
  });

  it('tokens signed with another key, expired or malformed are 401 AUTH.INVALID_TOKEN', async () => {
    const c = await actors.create('CUSTOMER');
    const [h, p] = c.token.split('.');
    for (const bad of [`${h}.${p}.forged`, 'not-a-jwt', '']) {
      const r = await t.api.get('/api/v1/auth/me').set({ Authorization: `Bearer ${bad}` });
      expect(r.status, bad).to.equal(401);
      expect(r.body.code).to.equal('AUTH.INVALID_TOKEN');
      expect(r.headers['www-authenticate']).to.equal('Bearer');
    }
    const expired = await t.container
      .get<TokenIssuer>(TokenIssuer)
      .issueAccess(
        { userId: c.user.id, role: c.user.role, sessionId: c.sessionId },
        new Date(Date.now() - 2 * 3600_000),
      );
    expect((await t.api.get('/api/v1/auth/me').set({ Authorization: `Bearer ${expired.token}` })).body.code).to.equal(
      'AUTH.INVALID_TOKEN',
    );
    const other = buildTestApp({ knex, env: { JWT_SECRET: 'another-secret-another-secret-another-secret' } });
    expect((await other.api.get('/api/v1/auth/me').set(c.auth)).body.code).to.equal('AUTH.INVALID_TOKEN');
  });

  it('never writes passwords, PINs or tokens to the logs', async () => {
    const logged = buildTestApp({ knex, env: { LOG_LEVEL: 'debug' } });
    const a = new Actors(logged.container);
    const i = await a.create('INSPECTOR');
    await logged.api
      .post('/api/v1/auth/register')
      .send({ email: 'log@b.co', name: 'L', password: 'secret-password-99' })
      .expect(201);
    const l = await logged.api
      .post('/api/v1/auth/login')
      .send({ identifier: 'log@b.co', password: 'secret-password-99' })
      .expect(200);
    await logged.api.post('/api/v1/auth/login/inspector').send({ email: i.user.email, pin: i.secret }).expect(200);
    await logged.api
      .get('/api/v1/auth/me')
      .set({ Authorization: `Bearer ${l.body.accessToken}` })
      .expect(200);
    const raw = logged.logs.raw();
    expect(raw).to.contain('"route":"/api/v1/auth/login"', 'access log lines are written at debug level');
    for (const secret of ['secret-password-99', l.body.accessToken, l.body.refreshToken, `"${i.secret}"`])
      expect(raw).to.not.contain(secret);
  });
});
