import { noTelemetry } from '../../src/ports/job-telemetry.js';
import { expect } from 'chai';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { startArchive, ArchiveInspection } from '../../src/application/archive/archive-inspection.js';
import { ConfirmMints } from '../../src/application/archive/confirm-mints.js';
import { ProcessMintJob } from '../../src/application/archive/process-mint-job.js';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { PlutsNftMinter } from '../../src/adapters/cardano/plu-ts-minter.js';
import { createMemoryPersistence } from '../../src/adapters/memory/index.js';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { HmacPlateHasher } from '../../src/adapters/security/hmac-plate-hasher.js';
import { ChainErrors } from '../../src/domain/chain/chain.js';
import type { MintJob } from '../../src/domain/archive/mint-job.js';
import { ForwardingChain } from '../support/forwarding-chain.js';
import type { Alert, Notifier } from '../../src/ports/notifier.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { newUser } from '../contract/user-repository.contract.js';
import { testKnex, truncateAll } from '../support/db.js';
import { rejection } from '../support/rejection.js';

const KEY = 'a1'.repeat(32);
const PLATE_SECRET = 'plate-secret-plate-secret-plate-secret-01';
const CID_FULL = 'bafybeiavpyoigyawld23iawux3ittzdgcyf56k672kgqkx72uy64mokrve';
const CID_PUBLIC = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';

/** A chain whose calls can be made to fail or to lose a submitted transaction (fault injection at the port). */
class FaultyChain extends ForwardingChain {
  failSubmits: Error[] = [];
  /** Accept the next submits without forwarding them: the transaction "vanishes". */
  dropSubmits = 0;
  /** Forward the next submits, then throw (a crash or lost answer right after the submit). */
  loseAnswers = 0;
  submitted: string[] = [];
  override async submit(cbor: string): Promise<string> {
    const failure = this.failSubmits.shift();
    if (failure) throw failure;
    if (this.dropSubmits > 0) {
      this.dropSubmits -= 1;
      return 'dropped';
    }
    const hash = await this.inner.submit(cbor);
    this.submitted.push(hash);
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      throw ChainErrors.unavailable('connection reset after the submit');
    }
    return hash;
  }
}

interface Subject {
  name: string;
  create(): Promise<TransactionalPorts & { uow: UnitOfWork }>;
}

let knex: Knex | undefined;
const subjects: Subject[] = [
  { name: 'memory', create: async () => createMemoryPersistence() },
  {
    name: 'PostgreSQL',
    create: async () => {
      knex ??= testKnex(12);
      await truncateAll(knex);
      return createKnexPersistence(knex, () => ({ requestId: 'archive', ip: '127.0.0.1' }));
    },
  },
];
after(async () => {
  await knex?.destroy();
});

for (const subject of subjects) {
  describe(`archive pipeline (${subject.name} + ledger emulator)`, function () {
    this.timeout(60_000);
    let p: TransactionalPorts & { uow: UnitOfWork };
    let dir: string;
    let emulator: EmulatorChain;
    let chain: FaultyChain;
    let alerts: Alert[];
    let now: Date;
    let mint: ProcessMintJob;
    let watcher: ConfirmMints;
    let resent: string[];
    let branchId: string;
    let inspectorId: string;
    const minter = new PlutsNftMinter(KEY, 'preview');
    const plates = new HmacPlateHasher(PLATE_SECRET);
    const clock = { now: () => now };
    const ids = { next: () => randomUUID() };
    const notifier: Notifier = { notify: async (a) => void alerts.push(a) };
    const log = { info: () => undefined, warn: () => undefined };
    const telemetry = noTelemetry;
    const archiveDeps = { ids, minter };

    const setup = async (utxoCount = 12, lovelacePerUtxo = 50_000_000n) => {
      emulator = new EmulatorChain({ dir, fundedAddress: minter.walletAddress, utxoCount, lovelacePerUtxo });
      chain = new FaultyChain(emulator);
      mint = new ProcessMintJob({
        uow: p.uow,
        chain,
        minter,
        plates,
        ids,
        clock,
        notifier,
        telemetry,
        log,
        chainTimeoutMs: 10_000,
        leaseSeconds: 600,
      });
      watcher = new ConfirmMints(
        { uow: p.uow, chain, ids, clock, notifier, telemetry, log },
        { confirmations: 3, confirmTimeoutMs: 300_000, stuckAlertMs: 600_000, chainTimeoutMs: 10_000, batch: 100 },
        async (job) => void resent.push(job.id),
      );
    };

    /**
     * An APPROVED inspection with both report PDFs stored and the public one on IPFS. The full one names a
     * CID too, as reports did before only the public variant was published: the NFT must not carry it.
     */
    const approved = async (over: { withReports?: boolean } = {}) => {
      const i = await p.inspections.create(
        newInspection({ inspectorId, branchCityId: branchId, plateNumber: 'AB 1234 CD' }),
        now,
      );
      await p.inspections.update(i.id, { status: 'APPROVED', approvedAt: now }, now);
      if (over.withReports !== false) {
        for (const [variant, cid] of [
          ['full', CID_FULL],
          ['no-docs', CID_PUBLIC],
        ] as const) {
          await p.reports.upsert({
            inspectionId: i.id,
            variant,
            storageDriver: 'fs',
            storageKey: `reports/${i.id}/${variant}.pdf`,
            sha256: createHmac('sha256', variant).update(i.id).digest('hex'),
            sizeBytes: 1000,
            pageCount: 3,
            htmlSha256: 'c'.repeat(64),
            ipfsCid: cid,
            pdfJobId: null,
            createdAt: now,
          });
        }
      }
      return i;
    };
    const archive = (id: string) =>
      p.uow.run(async (tx) =>
        startArchive(
          tx,
          archiveDeps,
          (await tx.inspections.findByIdForUpdate(id))!,
          { userId: null, role: 'SYSTEM' },
          'auto',
          now,
        ),
      );
    const later = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const unitHeld = async (unit: string) =>
      (await emulator.utxosAt(minter.walletAddress)).reduce((n, u) => n + (u.assets[unit] ?? 0n), 0n);

    beforeEach(async () => {
      p = await subject.create();
      dir = await mkdtemp(path.join(os.tmpdir(), 'archive-chain-'));
      alerts = [];
      resent = [];
      now = new Date('2026-03-01T08:00:00.000Z');
      branchId = (await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, now)).id;
      inspectorId = (
        await p.users.create(
          newUser({ role: 'INSPECTOR', branchCityId: branchId, passwordHash: null, pinHash: 'h' }),
          now,
        )
      ).id;
      await setup();
    });

    afterEach(async () => {
      emulator.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('archives: ARCHIVING + QUEUED job, SUBMITTED with the pending hash, CONFIRMED after 3 blocks, inspection ARCHIVED with asset and tx', async () => {
      const i = await approved();
      const job = await archive(i.id);
      expect(job).to.include({
        state: 'QUEUED',
        attempts: 0,
        policyId: minter.policyId,
        assetName: minter.assetNameFor(i.id),
        pendingTxHash: null,
        txHash: null,
        assetId: null,
      });
      expect((await p.inspections.findById(i.id))?.status).to.equal('ARCHIVING');

      const submitted = await mint.execute(job.id, { finalAttempt: false });
      expect(submitted).to.include({ state: 'SUBMITTED', attempts: 1, txHash: null, assetId: null });
      expect(submitted?.pendingTxHash).to.match(/^[0-9a-f]{64}$/);
      expect(chain.submitted).to.deep.equal([submitted?.pendingTxHash]);
      // Nothing is final before the confirmations.
      await emulator.advanceBlocks(2);
      expect(await watcher.tick()).to.include({ checked: 1, confirmed: 0 });
      expect((await p.mintJobStore.find(job.id))?.confirmations).to.equal(2);
      expect(await p.inspections.findById(i.id)).to.include({
        status: 'ARCHIVING',
        nftAssetId: null,
        blockchainTxHash: null,
      });
      await emulator.advanceBlock();
      expect(await watcher.tick()).to.include({ confirmed: 1 });

      const done = await p.mintJobStore.find(job.id);
      const unit = `${minter.policyId}${minter.assetNameFor(i.id)}`;
      expect(done).to.include({
        state: 'CONFIRMED',
        txHash: submitted?.pendingTxHash,
        assetId: unit,
        confirmations: 3,
      });
      const archived = await p.inspections.findById(i.id);
      expect(archived).to.include({ status: 'ARCHIVED', nftAssetId: unit, blockchainTxHash: submitted?.pendingTxHash });
      expect(archived?.archivedAt?.toISOString()).to.equal(now.toISOString());
      expect(await unitHeld(unit)).to.equal(1n);
      expect(await p.utxoLeases.leased(now)).to.have.property('size', 0);

      // The chain's metadata carries each PDF's hash, the CID of the public variant only (never the full
      // one's, even when a legacy report row names one), and the plate only as an HMAC.
      const onChain = await emulator.assetMint(minter.policyId, minter.assetNameFor(i.id));
      const reports = await p.reports.listForInspection(i.id);
      const pdf = onChain?.metadata?.pdf as Array<Record<string, unknown>>;
      expect(pdf).to.have.deep.members(
        reports.map((r) =>
          r.variant === 'no-docs'
            ? { variant: r.variant, alg: 'sha256', hash: r.sha256, cid: CID_PUBLIC }
            : { variant: r.variant, alg: 'sha256', hash: r.sha256 },
        ),
      );
      expect(JSON.stringify(onChain?.metadata)).not.to.contain(CID_FULL);
      expect(onChain?.metadata?.plateHash).to.equal(
        createHmac('sha256', PLATE_SECRET).update('AB1234CD').digest('hex'),
      );
      expect(JSON.stringify(onChain?.metadata)).not.to.contain('AB1234CD').and.not.to.contain('AB 1234 CD');
      expect(onChain?.metadata).to.include({
        prettyId: i.prettyId,
        inspectionDate: '2026-01-01',
        make: 'Toyota',
        model: 'Avanza',
      });
      const history = await p.inspections.statusHistory(i.id);
      expect(history.map((h) => h.toStatus)).to.include.members(['ARCHIVING', 'ARCHIVED']);
    });

    it('re-archiving after a revert keeps the NFT already minted: no new mint job, no second token, no duplicate-key loop', async () => {
      const i = await approved();
      const job = await archive(i.id);
      const submitted = await mint.execute(job.id, { finalAttempt: false });
      await emulator.advanceBlocks(3);
      expect(await watcher.tick()).to.include({ confirmed: 1 });
      const unit = `${minter.policyId}${minter.assetNameFor(i.id)}`;
      // A SUPERADMIN reverts the archived inspection to APPROVED, then it is archived again (auto or manual).
      await p.inspections.update(
        i.id,
        { status: 'APPROVED', nftAssetId: null, blockchainTxHash: null, archivedAt: null },
        now,
      );
      later(60_000);
      const again = await archive(i.id);
      expect(again, 'the existing confirmed job is returned').to.include({
        id: job.id,
        state: 'CONFIRMED',
        assetId: unit,
      });
      expect(await p.inspections.findById(i.id)).to.include({
        status: 'ARCHIVED',
        nftAssetId: unit,
        blockchainTxHash: submitted?.pendingTxHash,
      });
      const jobs = await p.mintJobStore.list({ inspectionId: i.id }, { page: 1, pageSize: 10 });
      expect(jobs.total, 'no new mint job').to.equal(1);
      expect(await watcher.tick()).to.include({ checked: 0, confirmed: 0 });
      expect(await unitHeld(unit)).to.equal(1n);
      expect(chain.submitted).to.have.length(1);
      const history = (await p.inspections.statusHistory(i.id)).map((h) => [h.fromStatus, h.toStatus, h.reason]);
      expect(history.slice(-2)).to.deep.equal([
        ['APPROVED', 'ARCHIVING', null],
        ['ARCHIVING', 'ARCHIVED', 'already minted: the existing NFT is kept'],
      ]);
    });

    it('refuses to archive without finished reports, from a wrong status, or twice at once; a rollback leaves nothing', async () => {
      const bare = await approved({ withReports: false });
      expect((await rejection(archive(bare.id))).code).to.equal('ARCHIVE.REPORTS_MISSING');
      expect((await p.inspections.findById(bare.id))?.status).to.equal('APPROVED');
      expect((await p.mintJobStore.list({ inspectionId: bare.id }, { page: 1, pageSize: 10 })).total).to.equal(0);

      const fresh = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), now);
      expect((await rejection(archive(fresh.id))).code).to.equal('INSPECTION.INVALID_TRANSITION');

      const i = await approved();
      await archive(i.id);
      // ARCHIVING -> ARCHIVING is no transition; the one-active-job rule guards the store as well.
      expect((await rejection(archive(i.id))).code).to.equal('INSPECTION.INVALID_TRANSITION');
      expect(
        (
          await rejection(
            p.uow.run((tx) =>
              tx.mintJobs.enqueue(
                {
                  inspectionId: i.id,
                  trigger: 'manual',
                  policyId: minter.policyId,
                  assetName: minter.assetNameFor(i.id),
                },
                now,
              ),
            ),
          )
        ).code,
      ).to.equal('ARCHIVE.ALREADY_IN_PROGRESS');
      expect((await p.mintJobStore.list({ inspectionId: i.id }, { page: 1, pageSize: 10 })).total).to.equal(1);

      // Administrators archive through the use case; other roles may not.
      const other = await approved();
      const useCase = new ArchiveInspection(p.uow, archiveDeps, clock);
      expect((await rejection(useCase.execute({ userId: randomUUID(), role: 'REVIEWER' }, other.id))).code).to.equal(
        'INSPECTION.TRANSITION_FORBIDDEN',
      );
      expect(await useCase.execute({ userId: randomUUID(), role: 'ADMIN' }, other.id)).to.include({
        state: 'QUEUED',
        trigger: 'manual',
      });
    });

    it('a crash right after the submit: the retry adopts the transaction already sent, never a second one', async () => {
      const i = await approved();
      const job = await archive(i.id);
      chain.loseAnswers = 1;
      expect((await rejection(mint.execute(job.id, { finalAttempt: false }))).code).to.equal('CHAIN.UNAVAILABLE');
      const afterCrash = await p.mintJobStore.find(job.id);
      expect(afterCrash).to.include({
        state: 'QUEUED',
        lastErrorCode: 'CHAIN.UNAVAILABLE',
        pendingTxHash: chain.submitted[0],
      });
      const again = await mint.execute(job.id, { finalAttempt: false });
      expect(again).to.include({ state: 'SUBMITTED', pendingTxHash: chain.submitted[0], attempts: 2 });
      expect(chain.submitted, 'submitted once').to.have.length(1);
      await emulator.advanceBlocks(3);
      await watcher.tick();
      expect(await unitHeld(`${minter.policyId}${minter.assetNameFor(i.id)}`)).to.equal(1n);
      expect((await p.inspections.findById(i.id))?.status).to.equal('ARCHIVED');
    });

    it('a job that failed after its transaction landed: archiving again adopts the mint on chain (one token)', async () => {
      const i = await approved();
      const job = await archive(i.id);
      chain.loseAnswers = 1;
      // On the final attempt the ambiguous error ends the job FAILED: the inspection is FAIL_ARCHIVE.
      const failed = await mint.execute(job.id, { finalAttempt: true });
      expect(failed).to.include({ state: 'FAILED', lastErrorCode: 'CHAIN.UNAVAILABLE' });
      expect((await p.inspections.findById(i.id))?.status).to.equal('FAIL_ARCHIVE');
      expect(alerts.map((a) => a.kind)).to.deep.equal(['JOB_FAILED']);
      await emulator.advanceBlocks(3);
      // The operator retries: FAIL_ARCHIVE -> ARCHIVING with a new job, which finds the asset on chain.
      const retry = await archive(i.id);
      const adopted = await mint.execute(retry.id, { finalAttempt: false });
      expect(adopted).to.include({ state: 'SUBMITTED', pendingTxHash: chain.submitted[0] });
      expect(chain.submitted).to.have.length(1);
      await watcher.tick();
      expect(await p.mintJobStore.find(retry.id)).to.include({ state: 'CONFIRMED', txHash: chain.submitted[0] });
      expect(await p.inspections.findById(i.id)).to.include({
        status: 'ARCHIVED',
        blockchainTxHash: chain.submitted[0],
      });
    });

    it('a failed job whose transaction has unspent inputs: the retry sends that same transaction again, not a new one', async () => {
      const i = await approved();
      const job = await archive(i.id);
      chain.dropSubmits = 1;
      await mint.execute(job.id, { finalAttempt: false });
      const first = (await p.mintJobStore.find(job.id))?.pendingTxHash;
      // Operator gives up on it (e.g. it stayed SUBMITTED); simulate the job failing for good.
      await p.uow.run((tx) => tx.mintJobStore.requeue(job.id, null, now));
      await p.uow.run((tx) => tx.mintJobStore.fail(job.id, { code: 'CHAIN.UNAVAILABLE', message: 'x' }, true, now));
      await p.uow.run((tx) => tx.inspections.update(i.id, { status: 'FAIL_ARCHIVE' }, now));
      const retry = await archive(i.id);
      const again = await mint.execute(retry.id, { finalAttempt: false });
      expect(again?.pendingTxHash, 'the same transaction').to.equal(first);
      await emulator.advanceBlocks(3);
      await watcher.tick();
      expect(await unitHeld(`${minter.policyId}${minter.assetNameFor(i.id)}`)).to.equal(1n);
    });

    it('a transaction that vanished is rebuilt after the confirmation timeout: same inputs, same transaction', async () => {
      const i = await approved();
      const job = await archive(i.id);
      chain.dropSubmits = 1;
      const sent = await mint.execute(job.id, { finalAttempt: false });
      expect(sent?.state).to.equal('SUBMITTED');
      await emulator.advanceBlocks(3);
      expect(await watcher.tick()).to.include({ rebuilt: 0 });
      later(300_001);
      expect(await watcher.tick()).to.include({ rebuilt: 1 });
      expect(resent).to.deep.equal([job.id]);
      expect(await p.mintJobStore.find(job.id)).to.include({
        state: 'QUEUED',
        lastErrorCode: 'CHAIN.TX_VANISHED',
        pendingTxHash: sent?.pendingTxHash,
      });
      const rebuilt = await mint.execute(job.id, { finalAttempt: false });
      expect(rebuilt?.pendingTxHash).to.equal(sent?.pendingTxHash);
      await emulator.advanceBlocks(3);
      await watcher.tick();
      expect(await p.mintJobStore.find(job.id)).to.include({ state: 'CONFIRMED' });
    });

    it('retryable chain errors (busy inputs) are retried; a fatal rejection ends FAILED with FAIL_ARCHIVE, a clear error and an alert', async () => {
      const i = await approved();
      const job = await archive(i.id);
      chain.failSubmits = [
        ChainErrors.utxoBusy('input spent meanwhile'),
        ChainErrors.rejected('ValueNotConservedUTxO'),
      ];
      expect((await rejection(mint.execute(job.id, { finalAttempt: false }))).code).to.equal('CHAIN.UTXO_BUSY');
      expect(await p.mintJobStore.find(job.id)).to.include({
        state: 'QUEUED',
        attempts: 1,
        lastErrorCode: 'CHAIN.UTXO_BUSY',
      });
      expect((await p.inspections.findById(i.id))?.status).to.equal('ARCHIVING');
      expect(alerts).to.deep.equal([]);
      const failed = await mint.execute(job.id, { finalAttempt: false });
      expect(failed).to.include({ state: 'FAILED', attempts: 2, lastErrorCode: 'CHAIN.REJECTED' });
      expect(failed?.lastError).to.contain('ValueNotConservedUTxO');
      expect((await p.inspections.findById(i.id))?.status).to.equal('FAIL_ARCHIVE');
      expect(alerts).to.have.length(1);
      expect(alerts[0]).to.deep.include({ kind: 'JOB_FAILED', severity: 'critical' });
      expect(alerts[0]?.details).to.include({ inspectionId: i.id, code: 'CHAIN.REJECTED' });
      expect(await p.utxoLeases.leased(now)).to.have.property('size', 0);
      expect(chain.submitted).to.deep.equal([]);
    });

    it('parallel mints from one wallet lease distinct inputs and all land in one block', async () => {
      const inspections = await Promise.all(Array.from({ length: 10 }, () => approved()));
      const jobs: MintJob[] = [];
      for (const i of inspections) jobs.push(await archive(i.id));
      const results = await Promise.all(jobs.map((j) => mint.execute(j.id, { finalAttempt: false })));
      expect(results.every((r) => r?.state === 'SUBMITTED')).to.equal(true);
      const inputs = results.flatMap((r) => r?.pendingInputs ?? []);
      expect(new Set(inputs).size, 'distinct inputs').to.equal(10);
      await emulator.advanceBlocks(3);
      expect(await watcher.tick()).to.include({ confirmed: 10 });
      const heights = new Set(
        await Promise.all(
          results.map(async (r) => (await emulator.txStatus(r?.pendingTxHash as string)).confirmations),
        ),
      );
      expect([...heights], 'same block').to.deep.equal([3]);
    });

    it('more mints than spendable inputs: the surplus waits (retryable UTXO_BUSY), nothing is double-spent', async () => {
      emulator.close();
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(path.join(os.tmpdir(), 'archive-chain-'));
      await setup(2);
      const inspections = await Promise.all(Array.from({ length: 3 }, () => approved()));
      const jobs: MintJob[] = [];
      for (const i of inspections) jobs.push(await archive(i.id));
      const outcomes = await Promise.allSettled(jobs.map((j) => mint.execute(j.id, { finalAttempt: false })));
      const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      expect(rejected.map((o) => (o.reason as { code: string }).code)).to.deep.equal(['CHAIN.UTXO_BUSY']);
      expect((rejected[0]?.reason as Error).message).to.contain('leased by other mints');
      await emulator.advanceBlocks(3);
      await watcher.tick();
      // The change outputs are spendable again: the waiting job goes through.
      const waiting = jobs.find((j) => outcomes[jobs.indexOf(j)]?.status === 'rejected');
      expect(await mint.execute(waiting?.id as string, { finalAttempt: false })).to.include({ state: 'SUBMITTED' });
    });

    it('an empty wallet is a fatal, clear CHAIN.INSUFFICIENT_FUNDS', async () => {
      emulator.close();
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(path.join(os.tmpdir(), 'archive-chain-'));
      await setup(1, 2_000_000n);
      const i = await approved();
      const job = await archive(i.id);
      const failed = await mint.execute(job.id, { finalAttempt: false });
      expect(failed).to.include({ state: 'FAILED', lastErrorCode: 'CHAIN.INSUFFICIENT_FUNDS', attempts: 1 });
      expect(failed?.lastError).to.match(/has 2000000 lovelace available; \d+ are needed/);
    });

    it('a mint SUBMITTED beyond the threshold raises MINT_STUCK', async () => {
      const i = await approved();
      const job = await archive(i.id);
      await mint.execute(job.id, { finalAttempt: false });
      later(600_001);
      expect(await watcher.tick()).to.include({ stuck: 1 });
      expect(alerts.map((a) => a.kind)).to.deep.equal(['MINT_STUCK']);
      expect(alerts[0]?.details).to.include({ mintJobId: job.id, state: 'pending' });
    });
  });
}
