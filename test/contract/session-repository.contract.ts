import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { RefreshTokenRecord } from '../../src/domain/identity/session.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newUser } from './user-repository.contract.js';

const day = 86_400_000;

/** The behaviour every SessionRepository adapter must have. */
export function sessionRepositoryContract(subject: PersistenceUnderTest): void {
  describe(`SessionRepository contract: ${subject.name}`, () => {
    let ports: TransactionalPorts & { uow: UnitOfWork };
    let userId: string;
    const t0 = new Date('2026-01-01T00:00:00.000Z');

    const token = (sessionId: string, hash = randomUUID()): RefreshTokenRecord => ({
      id: randomUUID(),
      sessionId,
      tokenHash: hash,
      createdAt: t0,
      expiresAt: new Date(t0.getTime() + day),
      usedAt: null,
    });
    const session = async (uid = userId) => {
      const id = randomUUID();
      const first = token(id);
      await ports.sessions.createSession(
        {
          id,
          userId: uid,
          createdAt: t0,
          expiresAt: new Date(t0.getTime() + day),
          lastUsedAt: t0,
          userAgent: 'ua',
          ip: '127.0.0.1',
        },
        first,
      );
      return { id, first };
    };

    beforeEach(async () => {
      ports = await subject.create();
      userId = (await ports.users.create(newUser(), t0)).id;
    });

    it('creates a session with its first token, found by hash', async () => {
      const s = await session();
      const found = await ports.sessions.findSession(s.id);
      expect(found).to.deep.include({
        id: s.id,
        userId,
        revokedAt: null,
        revokeReason: null,
        userAgent: 'ua',
        ip: '127.0.0.1',
      });
      const t = await ports.uow.run((tx) => tx.sessions.findTokenForUpdate(s.first.tokenHash));
      expect(t).to.deep.include({ id: s.first.id, sessionId: s.id, usedAt: null });
      expect(await ports.uow.run((tx) => tx.sessions.findTokenForUpdate('nope'))).to.equal(null);
    });

    it('rotation marks the old token used and stores the next one', async () => {
      const s = await session();
      const t1 = new Date(t0.getTime() + 5000);
      const next = token(s.id);
      await ports.uow.run((tx) => tx.sessions.rotate(s.first.id, next, t1));
      const old = await ports.uow.run((tx) => tx.sessions.findTokenForUpdate(s.first.tokenHash));
      expect(old?.usedAt?.toISOString()).to.equal(t1.toISOString());
      expect((await ports.uow.run((tx) => tx.sessions.findTokenForUpdate(next.tokenHash)))?.usedAt).to.equal(null);
      expect((await ports.sessions.findSession(s.id))?.lastUsedAt.toISOString()).to.equal(t1.toISOString());
    });

    it('revokes one session, or all of a user except one, and lists the active ones', async () => {
      const a = await session();
      const b = await session();
      const c = await session();
      const otherUser = (await ports.users.create(newUser(), t0)).id;
      const foreign = await session(otherUser);
      const now = new Date(t0.getTime() + 1000);
      await ports.sessions.revokeSession(a.id, 'LOGOUT', now);
      await ports.sessions.revokeSession(a.id, 'LOGOUT_ALL', new Date(now.getTime() + 1));
      expect(await ports.sessions.findSession(a.id)).to.deep.include({ revokeReason: 'LOGOUT' });
      expect((await ports.sessions.listActiveForUser(userId, now)).map((s) => s.id).sort()).to.deep.equal(
        [b.id, c.id].sort(),
      );
      expect(await ports.sessions.revokeAllForUser(userId, 'PASSWORD_CHANGED', now, c.id)).to.equal(1);
      expect((await ports.sessions.listActiveForUser(userId, now)).map((s) => s.id)).to.deep.equal([c.id]);
      expect((await ports.sessions.findSession(foreign.id))?.revokedAt).to.equal(null);
      expect(await ports.sessions.listActiveForUser(userId, new Date(t0.getTime() + 2 * day))).to.deep.equal(
        [],
        'expired sessions are not active',
      );
    });
  });
}
