import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createMemoryPersistence } from '../../../src/adapters/memory/index.js';
import { transitionInspection } from '../../../src/application/inspections/transition.js';
import type { DomainError } from '../../../src/domain/shared/domain-error.js';
import { newInspection } from '../../contract/inspection-ports.contract.js';
import { newUser } from '../../contract/user-repository.contract.js';

describe('transitionInspection: the one way an inspection changes status (memory adapters)', () => {
  const now = new Date('2026-03-01T08:00:00.000Z');
  const ids = { next: () => randomUUID() };

  async function inspection() {
    const p = createMemoryPersistence();
    const branchId = (await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, now)).id;
    const inspectorId = (
      await p.users.create(
        newUser({ role: 'INSPECTOR', branchCityId: branchId, passwordHash: null, pinHash: 'h' }),
        now,
      )
    ).id;
    return { p, i: await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), now) };
  }

  it('writes the status, the other fields and one history row with actor and reason; returns the kind', async () => {
    const { p, i } = await inspection();
    const reviewer = randomUUID();
    const r = await transitionInspection(p, ids, {
      from: i,
      to: 'APPROVED',
      by: { userId: reviewer, role: 'REVIEWER' },
      patch: { reviewerId: reviewer, approvedAt: now },
      reason: 'looks right',
      now,
    });
    expect(r.kind).to.equal('APPROVE');
    expect(r.inspection).to.deep.include({ status: 'APPROVED', reviewerId: reviewer });
    const history = await p.inspections.statusHistory(i.id);
    expect(history.at(-1)).to.deep.include({
      fromStatus: 'NEED_REVIEW',
      toStatus: 'APPROVED',
      actorId: reviewer,
      reason: 'looks right',
    });
  });

  it('refuses what the status machine refuses, for workers too, and writes nothing', async () => {
    const { p, i } = await inspection();
    const before = (await p.inspections.statusHistory(i.id)).length;
    for (const [to, role, code] of [
      ['ARCHIVED', 'SYSTEM', 'INSPECTION.INVALID_TRANSITION'],
      ['FAIL_ARCHIVE', 'SYSTEM', 'INSPECTION.INVALID_TRANSITION'],
      ['APPROVED', 'INSPECTOR', 'INSPECTION.TRANSITION_FORBIDDEN'],
    ] as const) {
      try {
        await transitionInspection(p, ids, { from: i, to, by: { userId: null, role }, now });
        expect.fail(`${to} by ${role}`);
      } catch (e) {
        expect((e as DomainError).code, `${to} by ${role}`).to.equal(code);
      }
    }
    expect((await p.inspections.findById(i.id))?.status).to.equal('NEED_REVIEW');
    expect(await p.inspections.statusHistory(i.id)).to.have.length(before);
  });

  it('dates the history row at historyAt when given (two steps in one transaction keep their order)', async () => {
    const { p, i } = await inspection();
    const approved = await transitionInspection(p, ids, {
      from: i,
      to: 'APPROVED',
      by: { userId: null, role: 'ADMIN' },
      now,
    });
    const later = new Date(now.getTime() + 1);
    await transitionInspection(p, ids, {
      from: approved.inspection,
      to: 'ARCHIVING',
      by: { userId: null, role: 'SYSTEM' },
      now,
      historyAt: later,
    });
    const history = await p.inspections.statusHistory(i.id);
    expect(history.at(-1)?.createdAt.getTime()).to.equal(later.getTime());
  });
});
