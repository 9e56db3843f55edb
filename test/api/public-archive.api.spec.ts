/**
 * What is public, and for how long (issue 11, item 2), on PostgreSQL with the embedded IPFS node and the
 * filesystem store: only the public (no-docs) report is on IPFS and only while its inspection is
 * published; deactivation, a revert to review and deletion withdraw it, activation publishes it again;
 * a full-variant CID pinned before (legacy) is never served and is withdrawn by the operator's command;
 * customers who unlocked a report see the public variant only, and every customer sees photos as
 * renditions without EXIF/GPS.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContainerModule } from 'inversify';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import {
  WithdrawPrivateCids,
  type CidRecord,
  type NftRecord,
} from '../../src/application/archive/withdraw-private-cids.js';
import { PublicArchive } from '../../src/application/archive/public-archive.js';
import { AddPhotos } from '../../src/application/photos/add-photos.js';
import type { ReportVariant } from '../../src/domain/inspection/report.js';
import type { InspectionStatus } from '../../src/domain/inspection/status.js';
import { Ipfs } from '../../src/ports/ipfs.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { InspectionReports } from '../../src/ports/report-jobs.js';
import { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { servedTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs } from '../support/inspections.js';
import { EXIF_MARKER, realJpeg, withGpsExif } from '../support/photos.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The embedded node, whose unpin can be made to fail for chosen CIDs (a node that is down). */
class UnpinFaults implements Ipfs {
  readonly driver = 'embedded';
  failUnpin: (cid: string) => boolean = () => false;
  /** While set, unpin waits for it (a node that does not answer). */
  hangUnpin: Promise<void> | undefined;
  constructor(private readonly inner: EmbeddedIpfs) {}
  add(content: Buffer | Readable) {
    return this.inner.add(content);
  }
  cat(cid: string) {
    return this.inner.cat(cid);
  }
  isPinned(cid: string) {
    return this.inner.isPinned(cid);
  }
  async unpin(cid: string) {
    if (this.hangUnpin) await this.hangUnpin;
    if (this.failUnpin(cid)) throw new Error('IPFS node unreachable');
    return this.inner.unpin(cid);
  }
}

describe('API: what is public (IPFS, customer views) on PostgreSQL and the embedded IPFS node', function () {
  this.timeout(60_000);
  let knex: Knex;
  let t: TestApp & { base: string; close(): Promise<void> };
  let dataDir: string;
  let admin: TestActor;
  let sa: TestActor;
  let inspector: TestActor;
  let customer: TestActor;
  let stranger: TestActor;
  let node: UnpinFaults;

  useTestDatabase((k) => (knex = k), 10);
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'public-archive-'));
    node = new UnpinFaults(new EmbeddedIpfs({ dir: path.join(dataDir, 'ipfs') }));
    const overrides = new ContainerModule(({ rebind }) => {
      rebind<Ipfs>(Ipfs).toConstantValue(node);
    });
    t = await servedTestApp((url) => ({
      knex,
      overrides: [overrides],
      env: { DATA_DIR: dataDir, PUBLIC_BASE_URL: url, REPORT_BASE_URL: url },
    }));
    const actors = new Actors(t.container);
    admin = await actors.create('ADMIN');
    sa = await actors.create('SUPERADMIN');
    inspector = await actors.create('INSPECTOR');
    customer = await actors.create('CUSTOMER');
    stranger = await actors.create('CUSTOMER');
  });
  afterEach(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const ipfs = () => t.container.get<Ipfs>(Ipfs);
  const storage = () => t.container.get<ObjectStorage>(ObjectStorage);
  const reports = () => t.container.get<InspectionReports>(InspectionReports);
  const gateway = (cid: string) => fetch(`${t.base}/ipfs/${cid}`);

  /**
   * An inspection whose report job finished: both PDFs stored, the public one added to IPFS (as the job
   * does). `legacyFullCid` also adds the full PDF and records its CID, as reports were before this change.
   */
  async function published(status: InspectionStatus, o: { customerUserId?: string; legacyFullCid?: boolean } = {}) {
    const i = await createInspectionAs(t.container, inspector, { customerUserId: o.customerUserId ?? null });
    const cids: Partial<Record<ReportVariant, string>> = {};
    for (const variant of ['full', 'no-docs'] as const) {
      const pdf = Buffer.from(`%PDF-1.7\n${variant} report of ${i.id} ${randomUUID()}`);
      const key = `reports/${i.id}/${i.prettyId}-${variant}.pdf`;
      await storage().put(key, pdf, { contentType: 'application/pdf', size: pdf.length });
      const cid = variant === 'no-docs' || o.legacyFullCid ? (await ipfs().add(pdf)).cid : null;
      if (cid) cids[variant] = cid;
      await reports().upsert({
        inspectionId: i.id,
        variant,
        storageDriver: storage().driver,
        storageKey: key,
        sha256: sha(pdf),
        sizeBytes: pdf.length,
        pageCount: 1,
        htmlSha256: 'c'.repeat(64),
        ipfsCid: cid,
        pdfJobId: null,
        createdAt: new Date(),
      });
    }
    await knex('inspections').where({ id: i.id }).update({ status, approved_at: new Date() });
    return { ...i, publicCid: cids['no-docs'] as string, fullCid: cids.full ?? null };
  }

  it('/ipfs serves the public report of a published inspection; deactivation unpins it (404), activation pins it again, a revert to review withdraws it', async () => {
    const i = await published('ARCHIVED');
    const ok = await gateway(i.publicCid);
    expect(ok.status).to.equal(200);
    expect((await ok.arrayBuffer()).byteLength).to.be.greaterThan(0);

    await t.api.post(`/api/v1/inspections/${i.id}/deactivate`).set(admin.auth).expect(200);
    expect(await ipfs().isPinned(i.publicCid), 'unpinned on deactivation').to.equal(false);
    const gone = await gateway(i.publicCid);
    expect(gone.status).to.equal(404);
    expect(((await gone.json()) as { code: string }).code).to.equal('IPFS.NOT_FOUND');

    await t.api.post(`/api/v1/inspections/${i.id}/activate`).set(admin.auth).expect(200);
    expect(await ipfs().isPinned(i.publicCid), 'pinned again from object storage on activation').to.equal(true);
    expect((await gateway(i.publicCid)).status).to.equal(200);

    await t.api
      .post(`/api/v1/inspections/${i.id}/revert`)
      .set(sa.auth)
      .send({ to: 'NEED_REVIEW', reason: 'Wrong odometer' })
      .expect(200);
    expect(await ipfs().isPinned(i.publicCid), 'unpinned on a revert to review').to.equal(false);
    expect((await gateway(i.publicCid)).status).to.equal(404);
    // Nothing is left for the sweeper: every check was carried out after its commit.
    expect(await knex('object_deletions').where({ driver: 'ipfs-pin' })).to.deep.equal([]);
  });

  it('a revert to APPROVED keeps the same report published (the re-archive adopts the same NFT)', async () => {
    const i = await published('ARCHIVED');
    await t.api
      .post(`/api/v1/inspections/${i.id}/revert`)
      .set(sa.auth)
      .send({ to: 'APPROVED', reason: 'Mint again' })
      .expect(200);
    expect(await ipfs().isPinned(i.publicCid)).to.equal(true);
    expect((await gateway(i.publicCid)).status).to.equal(200);
  });

  it('a pin check that fails (IPFS down) waits for the sweeper, which carries it out later; the gateway already answers 404', async () => {
    const i = await published('ARCHIVED');
    node.failUnpin = () => true;
    await t.api.post(`/api/v1/inspections/${i.id}/deactivate`).set(admin.auth).expect(200);
    expect((await gateway(i.publicCid)).status, 'withdrawn by the database at once').to.equal(404);
    const [pending] = await knex('object_deletions').where({ driver: 'ipfs-pin', key: i.publicCid });
    expect(pending).to.include({ attempts: 1, last_error: 'IPFS node unreachable' });
    node.failUnpin = () => false;
    await knex('object_deletions')
      .where({ driver: 'ipfs-pin' })
      .update({ next_attempt_at: new Date(Date.now() - 1000) });
    expect(await t.container.get(PublicArchive).sweep()).to.deep.equal({ done: 1, failed: 0 });
    expect(await ipfs().isPinned(i.publicCid)).to.equal(false);
    expect(await knex('object_deletions').where({ driver: 'ipfs-pin' })).to.deep.equal([]);
  });

  it('an IPFS node that does not answer never holds the request: it answers, the gateway says 404, the unpin finishes later', async () => {
    const i = await published('ARCHIVED');
    let answer!: () => void;
    node.hangUnpin = new Promise<void>((resolve) => (answer = resolve));
    await t.api.post(`/api/v1/inspections/${i.id}/deactivate`).set(admin.auth).expect(200);
    expect((await gateway(i.publicCid)).status).to.equal(404);
    expect(await ipfs().isPinned(i.publicCid), 'the node has not answered yet').to.equal(true);
    node.hangUnpin = undefined;
    answer();
    for (let n = 0; n < 50 && (await ipfs().isPinned(i.publicCid)); n++) await new Promise((r) => setTimeout(r, 100));
    expect(await ipfs().isPinned(i.publicCid), 'unpinned once the node answered').to.equal(false);
  });

  it('deleting an inspection unpins its CIDs and removes its report PDFs from object storage', async () => {
    const i = await published('ARCHIVED', { legacyFullCid: true });
    const keys = (await reports().listForInspection(i.id)).map((r) => r.storageKey);
    expect(keys).to.have.length(2);
    await t.api.delete(`/api/v1/inspections/${i.id}`).set(sa.auth).expect(204);
    for (const cid of [i.publicCid, i.fullCid as string]) expect(await ipfs().isPinned(cid), cid).to.equal(false);
    expect((await gateway(i.publicCid)).status).to.equal(404);
    for (const key of keys) expect(await storage().head(key), key).to.equal(null);
    const [audit] = await knex('audit_logs').where({ action: 'INSPECTION_DELETED', entity_id: i.id });
    expect(audit.metadata).to.deep.include({ reports: 2 });
    expect(audit.metadata.unpinned).to.have.members([i.publicCid, i.fullCid]);
  });

  it('a legacy full-variant CID is never served, even while pinned; the withdrawal unpins and forgets it (audited), resumes, and lists NFTs that name one', async () => {
    const a = await published('ARCHIVED', { legacyFullCid: true });
    const b = await published('ARCHIVED', { legacyFullCid: true });
    const clean = await published('ARCHIVED');
    expect(await ipfs().isPinned(a.fullCid as string)).to.equal(true);
    expect((await gateway(a.fullCid as string)).status, 'the full variant is private').to.equal(404);
    // a's NFT was minted when both CIDs went on chain; clean's names the public one only.
    const uow = t.container.get<UnitOfWork>(UnitOfWork);
    const now = new Date();
    const minted = async (inspectionId: string, pdf: Array<Record<string, string>>) =>
      uow.run(async (tx) => {
        const job = await tx.mintJobs.enqueue(
          {
            inspectionId,
            trigger: 'auto',
            policyId: 'ab'.repeat(28),
            assetName: createHash('sha256').update(inspectionId).digest('hex').slice(0, 32),
          },
          now,
        );
        await tx.mintJobStore.saveMetadata(job.id, { name: 'CAR-dano', pdf }, now);
        await tx.mintJobStore.markSubmitted(
          job.id,
          { hash: sha(Buffer.from(inspectionId)), cbor: null, inputs: [] },
          now,
        );
        await tx.mintJobStore.confirm(
          job.id,
          { txHash: sha(Buffer.from(inspectionId)), assetId: `asset-${inspectionId}`, confirmations: 3 },
          now,
        );
        return job.id;
      });
    const jobA = await minted(a.id, [
      { variant: 'full', alg: 'sha256', hash: 'a'.repeat(64), cid: a.fullCid as string },
      { variant: 'no-docs', alg: 'sha256', hash: 'b'.repeat(64), cid: a.publicCid },
    ]);
    await minted(clean.id, [
      { variant: 'full', alg: 'sha256', hash: 'c'.repeat(64) },
      { variant: 'no-docs', alg: 'sha256', hash: 'd'.repeat(64), cid: clean.publicCid },
    ]);

    const withdraw = t.container.get(WithdrawPrivateCids);
    const records: Array<CidRecord | NftRecord> = [];
    const dry = await withdraw.run({ dryRun: true, onRecord: (r) => void records.push(r) });
    expect(dry).to.deep.equal({ cids: 2, unpinned: 0, wouldUnpin: 2, failed: 0, nfts: 1 });
    expect(await ipfs().isPinned(a.fullCid as string), 'a dry run changes nothing').to.equal(true);
    expect(records.filter((r) => r.kind === 'cid').map((r) => (r as CidRecord).wasPinned)).to.deep.equal([true, true]);

    // b's unpin fails the first time: the run reports it and a second run finishes the job.
    node.failUnpin = (cid) => cid === b.fullCid;
    records.length = 0;
    const first = await withdraw.run({ dryRun: false, onRecord: (r) => void records.push(r) });
    node.failUnpin = () => false;
    expect(first).to.deep.equal({ cids: 2, unpinned: 1, wouldUnpin: 0, failed: 1, nfts: 1 });
    expect(records.find((r) => r.kind === 'cid' && r.outcome === 'failed')).to.include({
      inspectionId: b.id,
      cid: b.fullCid,
      error: 'IPFS node unreachable',
    });
    expect(records.find((r) => r.kind === 'nft')).to.deep.equal({
      kind: 'nft',
      inspectionId: a.id,
      mintJobId: jobA,
      assetId: `asset-${a.id}`,
      txHash: sha(Buffer.from(a.id)),
      privateCids: [{ variant: 'full', cid: a.fullCid }],
    });
    const second = await withdraw.run({ dryRun: false, onRecord: () => undefined });
    expect(second).to.deep.include({ cids: 1, unpinned: 1, failed: 0 });
    expect(await withdraw.run({ dryRun: false, onRecord: () => undefined }), 'nothing left').to.deep.include({
      cids: 0,
    });

    for (const x of [a, b]) {
      expect(await ipfs().isPinned(x.fullCid as string)).to.equal(false);
      expect(await ipfs().isPinned(x.publicCid), 'the public report stays').to.equal(true);
      expect((await reports().listForInspection(x.id)).find((r) => r.variant === 'full')?.ipfsCid).to.equal(null);
    }
    const audit = await knex('audit_logs').where({ action: 'REPORT_CID_WITHDRAWN' }).orderBy('created_at');
    expect(audit.map((r) => [r.entity_id, r.metadata.cid])).to.have.deep.members([
      [a.id, a.fullCid],
      [b.id, b.fullCid],
    ]);
  });

  it('customers: the owner sees both report files, an unlocked report shows the public one only; photos are renditions without EXIF/GPS, never documents', async () => {
    const i = await published('ARCHIVED', { customerUserId: customer.user.id });
    const actor = { userId: inspector.user.id, role: 'INSPECTOR' as const };
    await knex('inspections').where({ id: i.id }).update({ status: 'NEED_REVIEW' });
    const incoming = (b: Buffer, name: string) => ({
      originalName: name,
      size: b.length,
      head: new Uint8Array(b.subarray(0, 16)),
      sha256: sha(b),
      open: () => b,
    });
    const exterior = await withGpsExif(await realJpeg(1200, 900, 11, 90));
    const document = await withGpsExif(await realJpeg(1200, 900, 12, 90));
    await t.container.get(AddPhotos).execute(
      actor,
      i.id,
      [incoming(exterior, 'budi-santoso-front.jpg'), incoming(document, 'stnk.jpg')],
      [
        { label: 'Depan', category: 'EXTERIOR' },
        { label: 'STNK', category: 'DOCUMENT', isDocument: true },
      ],
    );
    await knex('inspections').where({ id: i.id }).update({ status: 'ARCHIVED' });
    await knex('report_unlocks').insert({ customer_id: stranger.user.id, inspection_id: i.id, created_at: new Date() });

    const owner = (await t.api.get(`/api/v1/me/inspections/${i.id}`).set(customer.auth).expect(200)).body;
    expect(owner.reportFiles.map((r: { variant: string }) => r.variant)).to.deep.equal(['full', 'no-docs']);
    expect(owner.reportFiles.find((r: { variant: string }) => r.variant === 'full').ipfsCid).to.equal(null);
    const unlocked = (await t.api.get(`/api/v1/me/inspections/${i.id}`).set(stranger.auth).expect(200)).body;
    expect(unlocked.access).to.equal('UNLOCKED');
    expect(unlocked.reportFiles).to.deep.equal([owner.reportFiles[1]]);
    expect(unlocked.reportFiles[0]).to.include({ variant: 'no-docs', ipfsCid: i.publicCid });
    expect(JSON.stringify(unlocked)).not.to.contain(
      (await reports().listForInspection(i.id)).find((r) => r.variant === 'full')?.sha256,
    );

    for (const view of [owner, unlocked]) {
      expect(
        view.photos.map((p: { label: string }) => p.label),
        'document photos are never listed',
      ).to.deep.equal(['Depan']);
      const [photo] = view.photos;
      expect(photo).not.to.have.any.keys('originalName', 'sha256', 'storageKey');
      expect(photo.contentType).to.equal('image/jpeg');
      const served = Buffer.from(await (await fetch(photo.url)).arrayBuffer());
      expect(served.length).to.equal(photo.sizeBytes);
      expect(served.length, 'a rendition, not the original').to.be.lessThan(exterior.length);
      expect(served.includes(Buffer.from(EXIF_MARKER)), 'no EXIF').to.equal(false);
      const meta = await sharp(served).metadata();
      expect([meta.exif, meta.xmp]).to.deep.equal([undefined, undefined]);
    }
  });
});
