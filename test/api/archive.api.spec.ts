import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { ConfirmMints } from '../../src/application/archive/confirm-mints.js';
import { ProcessMintJob } from '../../src/application/archive/process-mint-job.js';
import type { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { Chain } from '../../src/ports/chain.js';
import { InspectionReports } from '../../src/ports/report-jobs.js';
import { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs } from '../support/inspections.js';

const CID = 'bafybeiavpyoigyawld23iawux3ittzdgcyf56k672kgqkx72uy64mokrve';

describe('API: archiving (mint jobs) on PostgreSQL and the ledger emulator', function () {
  this.timeout(60_000);
  let knex: Knex;
  let t: TestApp;
  let dataDir: string;
  let admin: TestActor;
  let reviewer: TestActor;
  let inspector: TestActor;

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    // The emulator keeps its ledger under DATA_DIR/chain: a fresh one per test. No block timer: the test makes blocks.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'archive-api-'));
    t = buildTestApp({
      knex,
      env: { DATA_DIR: dataDir, CHAIN_EMULATOR_BLOCK_MS: '3600000', CHAIN_EMULATOR_UTXOS: '5' },
    });
    const actors = new Actors(t.container);
    admin = await actors.create('ADMIN');
    reviewer = await actors.create('REVIEWER');
    inspector = await actors.create('INSPECTOR');
  });
  afterEach(async () => {
    (t.container.get<Chain>(Chain) as unknown as EmulatorChain).close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** An approved inspection whose report job is done (both PDFs stored, with CIDs). */
  const approvedWithReports = async (reports = true) => {
    const i = await createInspectionAs(t.container, inspector);
    await t.api.post(`/api/v1/inspections/${i.id}/approve`).set(reviewer.auth).expect(200);
    if (reports) {
      for (const variant of ['full', 'no-docs'] as const) {
        await t.container.get<InspectionReports>(InspectionReports).upsert({
          inspectionId: i.id,
          variant,
          storageDriver: 'fs',
          storageKey: `k/${variant}`,
          sha256: (variant === 'full' ? 'a' : 'b').repeat(64),
          sizeBytes: 10,
          pageCount: 1,
          htmlSha256: 'c'.repeat(64),
          ipfsCid: CID,
          pdfJobId: null,
          createdAt: new Date(),
        });
      }
    }
    return i;
  };
  const chain = () => t.container.get<Chain>(Chain) as unknown as EmulatorChain;

  it('an administrator archives: 202 with the QUEUED job, the inspection ARCHIVING; once minted and confirmed it is ARCHIVED with its asset', async () => {
    const i = await approvedWithReports();
    const res = await t.api.post(`/api/v1/inspections/${i.id}/archive`).set(admin.auth).expect(202);
    expect(res.body).to.include({
      inspectionId: i.id,
      state: 'QUEUED',
      trigger: 'manual',
      attempts: 0,
      txHash: null,
      assetId: null,
    });
    expect(res.body).to.not.have.property('pendingTxCbor');
    expect((await t.api.get(`/api/v1/inspections/${i.id}`).set(admin.auth).expect(200)).body.status).to.equal(
      'ARCHIVING',
    );
    // A second request while the mint is in flight.
    const again = await t.api.post(`/api/v1/inspections/${i.id}/archive`).set(admin.auth).expect(409);
    expect(again.body.code).to.equal('INSPECTION.INVALID_TRANSITION');

    await t.container.get(ProcessMintJob).execute(res.body.id, { finalAttempt: false });
    await chain().advanceBlocks(3);
    expect(await t.container.get(ConfirmMints).tick()).to.include({ confirmed: 1 });
    const view = (await t.api.get(`/api/v1/inspections/${i.id}`).set(admin.auth).expect(200)).body;
    expect(view.status).to.equal('ARCHIVED');
    expect(view.nftAssetId).to.equal(res.body.policyId + res.body.assetName);
    expect(view.blockchainTxHash).to.match(/^[0-9a-f]{64}$/);

    const list = await t.api
      .get(`/api/v1/admin/mint-jobs?state=CONFIRMED&inspectionId=${i.id}`)
      .set(admin.auth)
      .expect(200);
    expect(list.body.total).to.equal(1);
    expect(list.body.items[0]).to.include({
      state: 'CONFIRMED',
      txHash: view.blockchainTxHash,
      assetId: view.nftAssetId,
      confirmations: 3,
    });
    expect(list.body.items[0].metadata.prettyId).to.equal(i.prettyId);
    const stats = await t.api.get('/api/v1/admin/mint-jobs/stats').set(admin.auth).expect(200);
    expect(stats.body.byState).to.deep.equal({ CONFIRMED: 1 });
    const audit = await knex('audit_logs')
      .where({ entity_id: i.id })
      .whereIn('action', ['ARCHIVE_REQUESTED', 'NFT_MINTED'])
      .orderBy('created_at');
    expect(audit.map((a) => a.action)).to.deep.equal(['ARCHIVE_REQUESTED', 'NFT_MINTED']);
    expect(audit[0].actor_id).to.equal(admin.user.id);
  });

  it('409 ARCHIVE.REPORTS_MISSING before the report job is done; 404 for an unknown inspection; reviewers may not archive', async () => {
    const i = await approvedWithReports(false);
    const res = await t.api.post(`/api/v1/inspections/${i.id}/archive`).set(admin.auth).expect(409);
    expect(res.body).to.include({ code: 'ARCHIVE.REPORTS_MISSING' });
    expect((await knex('inspections').where({ id: i.id }).first()).status).to.equal('APPROVED');
    expect(await knex('mint_jobs')).to.deep.equal([]);
    await t.api.post('/api/v1/inspections/00000000-0000-4000-8000-000000000000/archive').set(admin.auth).expect(404);
    await t.api.post(`/api/v1/inspections/${i.id}/archive`).set(reviewer.auth).expect(403);
  });

  it('rerun-failed archives again every inspection whose latest mint failed', async () => {
    const i = await approvedWithReports();
    const first = await t.api.post(`/api/v1/inspections/${i.id}/archive`).set(admin.auth).expect(202);
    // The job fails for good (as after its last attempt).
    await t.container.get<UnitOfWork>(UnitOfWork).run(async (tx) => {
      await tx.mintJobStore.fail(
        first.body.id,
        { code: 'CHAIN.UNAVAILABLE', message: 'provider down' },
        true,
        new Date(),
      );
      await tx.inspections.update(i.id, { status: 'FAIL_ARCHIVE' }, new Date());
    });
    const failed = await t.api.get('/api/v1/admin/mint-jobs?state=FAILED').set(admin.auth).expect(200);
    expect(failed.body.items[0]).to.include({
      id: first.body.id,
      lastErrorCode: 'CHAIN.UNAVAILABLE',
      lastError: 'provider down',
    });
    const rerun = await t.api.post('/api/v1/admin/mint-jobs/rerun-failed').set(admin.auth).expect(202);
    expect(rerun.body.requeued).to.equal(1);
    expect(rerun.body.jobs[0]).to.include({ inspectionId: i.id, state: 'QUEUED' });
    expect(rerun.body.jobs[0].id).to.not.equal(first.body.id);
    expect((await knex('inspections').where({ id: i.id }).first()).status).to.equal('ARCHIVING');
    // Nothing left to retry.
    expect((await t.api.post('/api/v1/admin/mint-jobs/rerun-failed').set(admin.auth).expect(202)).body).to.include({
      requeued: 0,
    });
  });
});
