import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { InspectionStats } from '../../src/ports/inspection-stats.js';
import type { TransactionalPorts } from '../../src/ports/unit-of-work.js';
import { newInspection } from './inspection-ports.contract.js';
import { newUser } from './user-repository.contract.js';

/** Dashboard aggregates: the same numbers from every adapter. */
export function inspectionStatsContract(
  name: string,
  create: () => Promise<{ ports: TransactionalPorts; stats: InspectionStats }>,
): void {
  describe(`InspectionStats contract: ${name}`, () => {
    let p: TransactionalPorts;
    let stats: InspectionStats;
    const jkt = 'Asia/Jakarta';

    beforeEach(async () => {
      ({ ports: p, stats } = await create());
      const yog = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, new Date());
      const sol = await p.branches.create({ id: randomUUID(), name: 'Solo', code: 'SOL' }, new Date());
      const ina = await p.users.create(
        newUser({ name: 'Ina', role: 'INSPECTOR', branchCityId: yog.id, passwordHash: null, pinHash: 'h' }),
        new Date(),
      );
      const budi = await p.users.create(
        newUser({ name: 'Budi', role: 'INSPECTOR', branchCityId: sol.id, passwordHash: null, pinHash: 'h' }),
        new Date(),
      );
      // Created-at instants chosen around Jakarta midnight (UTC+7): 2026-03-01T17:30Z is 2026-03-02 00:30 in Jakarta.
      const rows: Array<[string, string, string, string]> = [
        ['2026-03-01T10:00:00Z', yog.id, ina.id, 'NEED_REVIEW'],
        ['2026-03-01T17:30:00Z', yog.id, ina.id, 'APPROVED'],
        ['2026-03-02T03:00:00Z', sol.id, budi.id, 'ARCHIVED'],
        ['2026-03-09T03:00:00Z', yog.id, ina.id, 'NEED_REVIEW'],
        ['2026-02-20T03:00:00Z', sol.id, budi.id, 'NEED_REVIEW'],
        ['2026-02-21T03:00:00Z', sol.id, budi.id, 'NEED_REVIEW'],
      ];
      for (const [createdAt, branchCityId, inspectorId, status] of rows) {
        const i = await p.inspections.create(newInspection({ inspectorId, branchCityId }), new Date(createdAt));
        if (status !== 'NEED_REVIEW')
          await p.inspections.update(i.id, { status: status as 'APPROVED' }, new Date(createdAt));
      }
    });

    const range = { from: new Date('2026-02-28T17:00:00Z'), to: new Date('2026-03-14T17:00:00Z'), timeZone: jkt };

    it('counts per status in the range, every status present', async () => {
      expect(await stats.countsByStatus(range)).to.deep.equal({
        NEED_REVIEW: 2,
        APPROVED: 1,
        ARCHIVING: 0,
        ARCHIVED: 1,
        FAIL_ARCHIVE: 0,
        DEACTIVATED: 0,
      });
    });

    it('daily trend buckets in the time zone, every day present', async () => {
      const days = await stats.trend(range, 'day');
      expect(days).to.have.length(14);
      expect(days.slice(0, 2)).to.deep.equal([
        { bucket: '2026-03-01', count: 1 },
        { bucket: '2026-03-02', count: 2 },
      ]);
      expect(days.find((d) => d.bucket === '2026-03-09')?.count).to.equal(1);
      expect(days.reduce((s, d) => s + d.count, 0)).to.equal(4);
      const utc = await stats.trend({ ...range, timeZone: 'UTC' }, 'day');
      expect(utc.find((d) => d.bucket === '2026-03-01')?.count, 'the same instants fall on other days in UTC').to.equal(
        2,
      );
    });

    it('weekly and monthly buckets start on Monday and on the first of the month', async () => {
      expect(await stats.trend(range, 'week')).to.deep.equal([
        { bucket: '2026-02-23', count: 1 },
        { bucket: '2026-03-02', count: 2 },
        { bucket: '2026-03-09', count: 1 },
      ]);
      expect(await stats.trend(range, 'month')).to.deep.equal([{ bucket: '2026-03-01', count: 4 }]);
    });

    it('per branch with the previous period of equal length, and per inspector', async () => {
      const branches = await stats.byBranch(range);
      expect(branches.map((b) => [b.code, b.count, b.previousCount])).to.deep.equal([
        ['YOG', 3, 0],
        ['SOL', 1, 2],
      ]);
      expect((await stats.byInspector(range)).map((i) => [i.name, i.count, i.approved])).to.deep.equal([
        ['Ina', 3, 1],
        ['Budi', 1, 1],
      ]);
      const onlySol = branches.find((b) => b.code === 'SOL')?.branchCityId as string;
      expect(await stats.countsByStatus({ ...range, branchCityId: onlySol })).to.include({
        ARCHIVED: 1,
        NEED_REVIEW: 0,
      });
    });
  });
}
