import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { PIN_CHECK_DRIVER, PublicArchive } from '../../../src/application/archive/public-archive.js';
import { DeleteInspection } from '../../../src/application/inspections/delete-inspection.js';
import { PrintRenditions } from '../../../src/application/reports/print-renditions.js';
import type { TestActor } from '../../support/actors.js';
import {
  as,
  code,
  DAY,
  hookedWorld,
  keysUnder,
  publishedReports,
  storedInspection,
  storedPhoto,
  type HookedStorage,
  type World,
} from './fixtures.js';

describe('DeleteInspection: rows, stored objects and IPFS pins (memory adapters)', () => {
  let w: World & { hooked: HookedStorage };
  let sa: TestActor;
  let inspector: TestActor;
  beforeEach(async () => {
    w = hookedWorld();
    sa = await w.actors.create('SUPERADMIN');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  const remove = (id: string) => w.c.get(DeleteInspection).execute(as(sa), id);
  const allPending = () => w.tx((tx) => tx.deletions.due(new Date(w.clock.now().getTime() + 365 * DAY), 100));

  it('deletes the rows, then every photo, rendition and report object, and unpins the public report; audited', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const kept = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const p1 = await storedPhoto(w, i.id);
    await storedPhoto(w, i.id, { sortOrder: 1 });
    await w.c.get(PrintRenditions).ensure(p1);
    const cid = await publishedReports(w, i.id);
    const keptCid = await publishedReports(w, kept.id);
    expect(await keysUnder(w.storage, `inspections/${i.id}/`)).to.have.length(3);

    expect(await remove(i.id)).to.deep.equal({ objects: 2 });
    expect(await w.tx((tx) => tx.inspections.findById(i.id))).to.equal(null);
    expect(await w.tx((tx) => tx.photos.listForInspection(i.id))).to.deep.equal([]);
    expect(await w.tx((tx) => tx.reports.listForInspection(i.id))).to.deep.equal([]);
    expect(await keysUnder(w.storage, `inspections/${i.id}/`)).to.deep.equal([]);
    expect(await keysUnder(w.storage, `reports/${i.id}/`)).to.deep.equal([]);
    expect(w.ipfs.pins.has(cid)).to.equal(false);
    expect(await w.c.get(PublicArchive).isPublished(cid)).to.equal(false);
    expect(w.ipfs.pins.has(keptCid), 'other inspections keep theirs').to.equal(true);
    expect(await keysUnder(w.storage, `reports/${kept.id}/`)).to.have.length(2);
    expect(await allPending()).to.deep.equal([]);
    const [audit] = await w.audit({ action: 'INSPECTION_DELETED' });
    expect(audit).to.deep.include({ actorId: sa.user.id, entityId: i.id });
    expect(audit?.metadata).to.deep.equal({ prettyId: i.prettyId, photos: 2, reports: 2, unpinned: [cid] });
  });

  it('an unknown inspection is INSPECTION.NOT_FOUND', async () => {
    expect(await code(remove(randomUUID()))).to.equal('INSPECTION.NOT_FOUND');
    expect(await w.audit({ action: 'INSPECTION_DELETED' })).to.deep.equal([]);
  });

  it('when storage and IPFS fail, the deletion still succeeds and the work waits for the sweepers', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const p = await storedPhoto(w, i.id);
    const cid = await publishedReports(w, i.id);
    w.hooked.failDeletes = new Error('storage down');
    w.ipfs.failing = new Error('ipfs down');
    expect(await remove(i.id)).to.deep.equal({ objects: 1 });
    expect(await w.tx((tx) => tx.inspections.findById(i.id))).to.equal(null);
    const pending = await allPending();
    expect(pending.map((d) => [d.driver, d.key, d.attempts, d.lastError]).sort()).to.deep.equal(
      [
        ['fs', p.storageKey, 1, 'storage down'],
        ['fs', `reports/${i.id}/full.pdf`, 1, 'storage down'],
        ['fs', `reports/${i.id}/no-docs.pdf`, 1, 'storage down'],
        [PIN_CHECK_DRIVER, cid, 1, 'ipfs down'],
      ].sort(),
    );
  });
});
