import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { KnexStoredObjects } from '../../src/adapters/postgres/knex-stored-objects.js';
import { STORED_RECORD_KINDS, type StoredRecord, type StoredRecordKind } from '../../src/ports/stored-objects.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { useTestDatabase } from '../support/db.js';
import { seedStoredObjects, type SeededObject } from '../support/stored-objects.js';

/** Every row of a kind, read in pages of `limit`. */
async function all(c: KnexStoredObjects, kind: StoredRecordKind, limit: number, driver?: string) {
  const out: StoredRecord[] = [];
  for (let after: string | null = null; ;) {
    const page = await c.list(kind, after, limit, driver);
    out.push(...page);
    if (page.length < limit) return out;
    after = page[page.length - 1]?.id ?? null;
  }
}

describe('KnexStoredObjects (PostgreSQL): every object the database references', () => {
  let knex: Knex;
  useTestDatabase((k) => (knex = k));
  const catalog = () => new KnexStoredObjects(knex);
  const at = new Date('2026-12-03T10:00:00Z');

  it('lists each kind with its objects (original, rendition with or without hash, PDF) in id order', async () => {
    const seeded = await seedStoredObjects(knex, null, { photos: 3 });
    const of = (kind: string) => seeded.filter((s) => s.kind === kind);
    const ref = (s: SeededObject, role: string, sha: string | null = null) => ({
      role,
      key: s.key,
      size: s.bytes.length,
      sha256: sha,
      contentType: s.contentType,
    });
    const photos = await catalog().list('inspection-photo', null, 100);
    expect(photos.map((p) => p.id)).to.deep.equal(
      of('inspection-photo')
        .map((s) => s.id)
        .sort(),
    );
    const [first, second] = of('inspection-photo');
    const [r1, r2] = of('rendition');
    const row = (id?: string) => photos.find((p) => p.id === id);
    expect(row(first?.id)?.objects[1]).to.deep.equal({
      ...ref(r1 as SeededObject, 'rendition'),
      sha256: (await knex('inspection_photos').where({ id: first?.id }).first()).rendition_sha256,
    });
    expect(row(first?.id)?.objects[1]?.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(row(second?.id)?.objects[1], 'an old rendition has no hash').to.deep.equal(
      ref(r2 as SeededObject, 'rendition'),
    );
    expect(
      photos.filter((p) => p.objects.length === 1),
      'the third photo has no rendition',
    ).to.have.length(1);
    expect(photos.every((p) => p.driver === 'fs' && p.kind === 'inspection-photo')).to.equal(true);
    expect(photos.every((p) => p.objects[0]?.role === 'original' && p.objects[0].sha256?.length === 64)).to.equal(true);

    for (const kind of ['vehicle-photo', 'request-photo'] as const) {
      const rows = await catalog().list(kind, null, 100);
      expect(rows.map((r) => [r.kind, r.id, r.driver])).to.deep.equal(
        of(kind)
          .map((s) => [kind, s.id, 'fs'])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      );
      for (const r of rows) {
        const s = of(kind).find((x) => x.id === r.id) as SeededObject;
        expect(r.objects).to.have.length(1);
        expect(r.objects[0]).to.include({ role: 'original', key: s.key, size: s.bytes.length });
      }
    }
    const pdfs = await catalog().list('report-pdf', null, 100);
    expect(pdfs.map((r) => r.id)).to.deep.equal(of('report-pdf').map((s) => s.id));
    expect(pdfs[0]?.id).to.match(/\/full$/);
    expect(pdfs[1]?.objects).to.have.length(1);
    expect(pdfs[1]?.objects[0]).to.include({ role: 'pdf', contentType: 'application/pdf', size: 2007 });
  });

  it('pages by keyset (report PDFs across inspections too) and filters by driver; counts per kind and driver', async () => {
    const seeded = await seedStoredObjects(knex, null, { photos: 7 });
    // A second inspection's reports on s3, so report ids page across inspections.
    const base = await knex('inspections').first();
    const { id: second } = await createKnexPersistence(knex, () => ({ requestId: null, ip: null })).inspections.create(
      newInspection({ inspectorId: base.inspector_id, branchCityId: base.branch_city_id }),
      new Date(),
    );
    for (const variant of ['full', 'no-docs'])
      await knex('inspection_reports').insert({
        ...{ inspection_id: second, variant, storage_driver: 's3', storage_key: `reports/${second}/x-${variant}.pdf` },
        ...{
          sha256: 'cd'.repeat(32),
          size_bytes: 10,
          page_count: 1,
          html_sha256: 'ef'.repeat(32),
          created_at: new Date(),
        },
      });
    const moved = seeded.filter((s) => s.kind === 'inspection-photo')[2]?.id as string;
    await knex('inspection_photos').where({ id: moved }).update({ storage_driver: 's3' });

    const ids = (rows: StoredRecord[]) => rows.map((r) => r.id);
    const photos = await all(catalog(), 'inspection-photo', 100);
    expect(ids(photos)).to.have.length(7);
    for (const limit of [1, 2, 3])
      expect(ids(await all(catalog(), 'inspection-photo', limit))).to.deep.equal(ids(photos));
    expect(ids(await all(catalog(), 'inspection-photo', 2, 's3'))).to.deep.equal([moved]);
    expect(ids(await all(catalog(), 'inspection-photo', 2, 'fs'))).to.deep.equal(
      ids(photos).filter((i) => i !== moved),
    );

    const pdfs = await all(catalog(), 'report-pdf', 100);
    expect(ids(pdfs)).to.have.length(4);
    expect(ids(pdfs)).to.deep.equal([...ids(pdfs)].sort(), 'ordered by inspection, then variant');
    expect(ids(await all(catalog(), 'report-pdf', 1))).to.deep.equal(ids(pdfs));
    expect(ids(await all(catalog(), 'report-pdf', 1, 's3'))).to.deep.equal([`${second}/full`, `${second}/no-docs`]);
    expect(await catalog().list('report-pdf', ids(pdfs)[3] as string, 10)).to.deep.equal([]);

    expect(await catalog().counts()).to.deep.equal({
      'inspection-photo': { fs: 6, s3: 1 },
      'vehicle-photo': { fs: 2 },
      'request-photo': { fs: 1 },
      'report-pdf': { fs: 2, s3: 2 },
    });
    expect(Object.keys(await catalog().counts())).to.deep.equal([...STORED_RECORD_KINDS]);
  });

  it('counts are empty maps with no rows; an id of another shape is refused as a cursor', async () => {
    expect(await catalog().counts()).to.deep.equal({
      'inspection-photo': {},
      'vehicle-photo': {},
      'request-photo': {},
      'report-pdf': {},
    });
    let error: unknown;
    await catalog()
      .list('report-pdf', 'not-a-report-id', 10)
      .catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('not an id of a report-pdf');
  });

  it('repoints a row only while it is still exactly as read (true once, false for a race, a change, a missing row)', async () => {
    const seeded = await seedStoredObjects(knex, null);
    const byKind = (k: string) => seeded.find((s) => s.kind === k) as SeededObject;
    for (const kind of STORED_RECORD_KINDS) {
      const id = byKind(kind).id;
      const read = (await catalog().find(kind, id)) as StoredRecord;
      expect(read.id).to.equal(id);
      expect(read.driver).to.equal('fs');
      const [a, b] = await Promise.all([catalog().repoint(read, 's3', at), catalog().repoint(read, 's3', at)]);
      expect([a, b].sort(), `${kind}: exactly one of two racing repoints wins`).to.deep.equal([false, true]);
      expect(await catalog().repoint(read, 's3', at), `${kind}: no longer on fs`).to.equal(false);
      expect(ids(await catalog().list(kind, null, 100, 's3'))).to.deep.equal([id]);
      expect((await catalog().find(kind, id))?.driver).to.equal('s3');
    }
    const photo = await knex('inspection_photos')
      .where({ id: byKind('inspection-photo').id })
      .first();
    expect(photo.updated_at.toISOString(), 'inspection photos record when they moved').to.equal(at.toISOString());
    const gone = { kind: 'vehicle-photo', id: randomUUID(), driver: 'fs', objects: [] } as StoredRecord;
    expect(await catalog().repoint(gone, 's3', at), 'a missing row').to.equal(false);
    expect(await catalog().find('report-pdf', `${randomUUID()}/full`)).to.equal(null);
    expect(await catalog().find('report-pdf', 'garbage')).to.equal(null);
    expect(await catalog().find('inspection-photo', 'not-a-uuid')).to.equal(null);
    expect(await catalog().repoint({ ...gone, kind: 'report-pdf', id: 'garbage' }, 's3', at)).to.equal(false);
  });

  it('does not repoint a row whose objects changed after it was read (replaced, or given a rendition)', async () => {
    const seeded = await seedStoredObjects(knex, null);
    for (const kind of ['vehicle-photo', 'inspection-photo'] as const) {
      const id = (seeded.find((s) => s.kind === kind) as SeededObject).id;
      const read = (await catalog().find(kind, id)) as StoredRecord;
      const table = kind === 'vehicle-photo' ? 'customer_vehicle_photos' : 'inspection_photos';
      await knex(table)
        .where({ id })
        .update({ storage_key: `${read.objects[0]?.key as string}.replaced` });
      expect(await catalog().repoint(read, 's3', at), `${kind}: replaced meanwhile`).to.equal(false);
      expect((await catalog().find(kind, id))?.driver).to.equal('fs');
    }
    const bare = seeded.find(
      (s) => s.kind === 'inspection-photo' && !seeded.some((r) => r.kind === 'rendition' && r.id === s.id),
    );
    if (bare) {
      const read = (await catalog().find('inspection-photo', bare.id)) as StoredRecord;
      await knex('inspection_photos')
        .where({ id: bare.id })
        .update({ rendition_key: `${bare.key}.r.jpg`, rendition_size_bytes: 1 });
      expect(await catalog().repoint(read, 's3', at), 'a rendition made since it was read').to.equal(false);
    }
  });

  it('records a rendition hash only while the photo still has that rendition', async () => {
    const seeded = await seedStoredObjects(knex, null);
    const r = seeded.filter((s) => s.kind === 'rendition')[1] as SeededObject;
    const hash = () =>
      knex('inspection_photos')
        .where({ id: r.id })
        .first()
        .then((x) => x.rendition_sha256);
    await catalog().recordRenditionHash(r.id, 'inspections/other.print.jpg', 'aa'.repeat(32));
    expect(await hash(), 'replaced meanwhile: another key').to.equal(null);
    await catalog().recordRenditionHash(r.id, r.key, 'bb'.repeat(32));
    expect(await hash()).to.equal('bb'.repeat(32));
    const listed = (await catalog().list('inspection-photo', null, 100)).find((p) => p.id === r.id);
    expect(listed?.objects[1]?.sha256).to.equal('bb'.repeat(32));
  });
});

const ids = (rows: StoredRecord[]) => rows.map((r) => r.id);
