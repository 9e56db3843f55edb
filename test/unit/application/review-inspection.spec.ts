import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ApproveInspection } from '../../../src/application/inspections/approve-inspection.js';
import { DeleteChangeLogEntry } from '../../../src/application/inspections/delete-change-log-entry.js';
import { ReviewInspection } from '../../../src/application/inspections/review-inspection.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, rejects, storedInspection, world, type World } from './fixtures.js';

describe('ReviewInspection and DeleteChangeLogEntry: review edits as a change log (memory adapters)', () => {
  let w: World;
  let reviewer: TestActor;
  let inspector: TestActor;
  beforeEach(async () => {
    w = world();
    reviewer = await w.actors.create('REVIEWER');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  const edit = (id: string, patch: Record<string, unknown>, a: TestActor = reviewer) =>
    w.c.get(ReviewInspection).execute(as(a), id, patch);
  const log = (id: string) => w.tx((tx) => tx.changeLogs.listForInspection(id));
  const remove = (id: string, entryId: string, a: TestActor = reviewer) =>
    w.c.get(DeleteChangeLogEntry).execute(as(a), id, entryId);

  it('records one entry per changed leaf (old and new value) without touching the inspection; audit lists the paths', async () => {
    const i = await storedInspection(w, inspector);
    const entries = await edit(i.id, {
      overallRating: 7,
      vehicleData: { merekKendaraan: 'Toyota', tahun: 2018, warna: 'Hitam' },
      detailedAssessment: { testDrive: { rem: 6, kopling: { a: 1 } } },
    });
    expect(entries.map((e) => [e.fieldPath, e.oldValue, e.newValue])).to.deep.equal([
      ['overallRating', 8.5, 7],
      ['vehicleData.tahun', 2019, 2018],
      ['vehicleData.warna', null, 'Hitam'],
      ['detailedAssessment.testDrive.rem', 8, 6],
      ['detailedAssessment.testDrive.kopling', null, { a: 1 }],
    ]);
    expect(entries.every((e) => e.changedBy === reviewer.user.id && e.inspectionId === i.id)).to.equal(true);
    expect(await w.tx((tx) => tx.inspections.findById(i.id))).to.deep.include({ overallRating: 8.5 });
    expect((await log(i.id)).map((e) => e.id)).to.have.members(entries.map((e) => e.id));
    expect((await w.audit({ action: 'INSPECTION_EDITED' }))[0]?.metadata).to.deep.equal({
      paths: entries.map((e) => e.fieldPath),
    });
  });

  it('compares against the inspection as it will be after pending entries: a repeated edit adds nothing and is not audited', async () => {
    const i = await storedInspection(w, inspector);
    await edit(i.id, { vehicleData: { tahun: 2018 } });
    expect(await edit(i.id, { vehicleData: { tahun: 2018 } })).to.deep.equal([]);
    const next = await edit(i.id, { vehicleData: { tahun: 2017 } });
    expect(next.map((e) => [e.fieldPath, e.oldValue, e.newValue])).to.deep.equal([['vehicleData.tahun', 2018, 2017]]);
    expect(await w.audit({ action: 'INSPECTION_EDITED' })).to.have.length(2);
  });

  it('normalises and checks a new plate first (VALIDATION.FAILED before any lookup)', async () => {
    const i = await storedInspection(w, inspector);
    expect((await edit(i.id, { plateNumber: 'b1x' }))[0]).to.deep.include({
      fieldPath: 'plateNumber',
      newValue: 'B 1 X',
    });
    expect(await code(edit(randomUUID(), { plateNumber: '???' }))).to.equal('VALIDATION.FAILED');
  });

  it('refuses fields that are not editable, sections that are not objects and reserved keys', async () => {
    const i = await storedInspection(w, inspector);
    expect(await code(edit(i.id, { status: 'APPROVED' }))).to.equal('INSPECTION.FIELD_NOT_EDITABLE');
    expect(await code(edit(i.id, { inspectorId: reviewer.user.id }))).to.equal('INSPECTION.FIELD_NOT_EDITABLE');
    expect(await code(edit(i.id, { vehicleData: 'Honda' }))).to.equal('VALIDATION.FAILED');
    expect(
      await code(edit(i.id, JSON.parse('{"vehicleData":{"__proto__":{"polluted":true}}}') as Record<string, unknown>)),
    ).to.equal('VALIDATION.FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(await log(i.id)).to.deep.equal([]);
  });

  it('only before approval (INSPECTION.NOT_EDITABLE), only what the caller may see (INSPECTION.NOT_FOUND)', async () => {
    const approved = await storedInspection(w, inspector, { status: 'APPROVED' });
    expect(await code(edit(approved.id, { overallRating: 1 }))).to.equal('INSPECTION.NOT_EDITABLE');
    const i = await storedInspection(w, inspector);
    expect(await code(edit(i.id, { overallRating: 1 }, await w.actors.create('INSPECTOR')))).to.equal(
      'INSPECTION.NOT_FOUND',
    );
    expect(await code(edit(i.id, { overallRating: 1 }, inspector)), 'the inspector edits their own').to.equal('OK');
  });

  describe('deleting a change-log entry', () => {
    it('the previous entry of that path becomes the one applied at approval; audited with the path', async () => {
      const i = await storedInspection(w, inspector);
      await edit(i.id, { vehicleData: { tahun: 2018 } });
      w.clock.advance(1000);
      const [latest] = await edit(i.id, { vehicleData: { tahun: 2017 } });
      await remove(i.id, latest?.id as string);
      expect((await log(i.id)).map((e) => e.newValue)).to.deep.equal([2018]);
      expect((await w.audit({ action: 'INSPECTION_CHANGE_DELETED' }))[0]).to.deep.include({
        actorId: reviewer.user.id,
        entityId: i.id,
      });
      expect((await w.audit({ action: 'INSPECTION_CHANGE_DELETED' }))[0]?.metadata).to.deep.equal({
        fieldPath: 'vehicleData.tahun',
      });
      const { inspection } = await w.c.get(ApproveInspection).execute(as(reviewer), i.id);
      expect(inspection.vehicleData.tahun).to.equal(2018);
    });

    it('an entry of another inspection, or none, is INSPECTION.CHANGE_NOT_FOUND; after approval INSPECTION.NOT_EDITABLE', async () => {
      const i = await storedInspection(w, inspector);
      const other = await storedInspection(w, inspector);
      const [entry] = await edit(other.id, { overallRating: 3 });
      await rejects(remove(i.id, entry?.id as string), 'INSPECTION.CHANGE_NOT_FOUND');
      await rejects(remove(i.id, randomUUID()), 'INSPECTION.CHANGE_NOT_FOUND');
      expect(await log(other.id)).to.have.length(1);
      await w.c.get(ApproveInspection).execute(as(reviewer), other.id);
      await rejects(remove(other.id, entry?.id as string), 'INSPECTION.NOT_EDITABLE');
    });
  });
});
