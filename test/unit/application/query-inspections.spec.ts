import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { GetDashboard } from '../../../src/application/inspections/dashboard.js';
import { GetInspection } from '../../../src/application/inspections/get-inspection.js';
import { ListChangeLog } from '../../../src/application/inspections/list-change-log.js';
import { ListInspections } from '../../../src/application/inspections/list-inspections.js';
import { ReviewInspection } from '../../../src/application/inspections/review-inspection.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, DAY, rejects, storedInspection, storedPhoto, world, type World } from './fixtures.js';

describe('inspection queries and the dashboard (memory adapters)', () => {
  let w: World;
  let inspector: TestActor;
  let other: TestActor;
  let reviewer: TestActor;
  beforeEach(async () => {
    w = world();
    inspector = await w.actors.create('INSPECTOR');
    other = await w.actors.create('INSPECTOR');
    reviewer = await w.actors.create('REVIEWER');
  });
  afterEach(() => w.cleanup());

  it("an inspector's list is always narrowed to their own inspections; staff see all", async () => {
    const mine = await storedInspection(w, inspector);
    const theirs = await storedInspection(w, other);
    const list = (a: TestActor, filter = {}) => w.c.get(ListInspections).execute(as(a), filter, {});
    expect((await list(inspector)).items.map((i) => i.id)).to.deep.equal([mine.id]);
    expect(
      (await list(inspector, { inspectorId: other.user.id })).items.map((i) => i.id),
      'a filter cannot widen it',
    ).to.deep.equal([mine.id]);
    expect((await list(reviewer)).items.map((i) => i.id)).to.have.members([mine.id, theirs.id]);
    expect((await list(reviewer, { inspectorId: other.user.id })).items.map((i) => i.id)).to.deep.equal([theirs.id]);
  });

  it('the detail has photos with signed URLs, the history and the number of fields approval will change', async () => {
    const i = await storedInspection(w, inspector);
    const photo = await storedPhoto(w, i.id);
    await w.c.get(ReviewInspection).execute(as(reviewer), i.id, { overallRating: 7, vehicleData: { tahun: 2018 } });
    w.clock.advance(1000);
    await w.c.get(ReviewInspection).execute(as(reviewer), i.id, { overallRating: 6 });
    const d = await w.c.get(GetInspection).execute(as(inspector), i.id);
    expect(d.inspection.id).to.equal(i.id);
    expect(d.photos.map((p) => p.id)).to.deep.equal([photo.id]);
    expect(d.photos[0]).to.not.have.property('storageKey');
    expect(d.photos[0]?.url).to.be.a('string').and.not.empty;
    expect(d.pendingChanges).to.equal(2);
    const latest = await w.c.get(ListChangeLog).execute(as(reviewer), i.id);
    expect(latest.map((e) => [e.fieldPath, e.newValue])).to.deep.equal([
      ['overallRating', 6],
      ['vehicleData.tahun', 2018],
    ]);
    expect(await w.c.get(ListChangeLog).execute(as(reviewer), i.id, true)).to.have.length(3);
    expect(await code(w.c.get(GetInspection).execute(as(other), i.id))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(w.c.get(ListChangeLog).execute(as(other), i.id))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(w.c.get(GetInspection).execute(as(await w.actors.create('CUSTOMER')), i.id))).to.equal(
      'INSPECTION.NOT_FOUND',
    );
    expect(await code(w.c.get(GetInspection).execute(as(reviewer), randomUUID()))).to.equal('INSPECTION.NOT_FOUND');
  });

  describe('dashboard', () => {
    const dashboard = (q: Parameters<GetDashboard['execute']>[0] = {}) => w.c.get(GetDashboard).execute(q);

    it('defaults to the last 30 days in the configured time zone, daily; totals, statuses and the change per branch', async () => {
      w.clock.at = new Date(w.clock.now().getTime() - 45 * DAY);
      await storedInspection(w, inspector);
      await storedInspection(w, inspector);
      w.clock.advance(45 * DAY - 2 * DAY);
      await storedInspection(w, inspector, { status: 'APPROVED' });
      await storedInspection(w, inspector);
      await storedInspection(w, inspector);
      w.clock.advance(2 * DAY);
      const d = await dashboard();
      expect(d.range).to.deep.include({
        to: w.clock.now(),
        from: new Date(w.clock.now().getTime() - 30 * DAY),
        timeZone: 'Asia/Jakarta',
        granularity: 'day',
        previousFrom: new Date(w.clock.now().getTime() - 60 * DAY),
      });
      expect(d.total).to.equal(3);
      expect(d.countsByStatus).to.deep.include({ NEED_REVIEW: 2, APPROVED: 1, ARCHIVED: 0 });
      expect(d.trend.reduce((n, t) => n + t.count, 0)).to.equal(3);
      const [yog] = d.branches;
      expect(yog).to.deep.include({ code: 'YOG', count: 3, previousCount: 2, change: 1, changePercent: 50 });
      expect(d.inspectors).to.deep.equal([
        { inspectorId: inspector.user.id, name: 'Inspector', count: 3, approved: 1 },
      ]);
    });

    it('a branch without inspections in the previous period has no change percentage; percentages are rounded to one decimal', async () => {
      const from = new Date(w.clock.now().getTime() - 10 * DAY);
      await storedInspection(w, inspector);
      let d = await dashboard({ from, to: new Date(w.clock.now().getTime() + 1) });
      expect(d.branches[0]).to.deep.include({ count: 1, previousCount: 0, change: 1, changePercent: null });
      w.clock.advance(-15 * DAY);
      for (let n = 0; n < 3; n++) await storedInspection(w, inspector);
      d = await dashboard({ from, to: new Date(from.getTime() + 10 * DAY + 1) });
      expect(d.branches[0]).to.deep.include({ count: 1, previousCount: 3, change: -2, changePercent: -66.7 });
    });

    it('refuses an empty or reversed range, one longer than 366 days, and an unknown time zone', async () => {
      const now = w.clock.now();
      expect((await rejects(dashboard({ from: now, to: now }), 'VALIDATION.FAILED')).details[0]?.path).to.equal(
        '/query/from',
      );
      expect(await code(dashboard({ from: new Date(now.getTime() + 1), to: now }))).to.equal('VALIDATION.FAILED');
      expect(
        (await rejects(dashboard({ from: new Date(now.getTime() - 367 * DAY), to: now }), 'VALIDATION.FAILED'))
          .details[0]?.message,
      ).to.contain('366 days');
      expect(await code(dashboard({ from: new Date(now.getTime() - 366 * DAY), to: now }))).to.equal('OK');
      expect((await rejects(dashboard({ timeZone: 'Mars/Olympus' }), 'VALIDATION.FAILED')).details[0]?.path).to.equal(
        '/query/timeZone',
      );
      expect((await dashboard({ timeZone: 'UTC', granularity: 'month' })).range).to.deep.include({
        timeZone: 'UTC',
        granularity: 'month',
      });
    });
  });
});
