import { expect } from 'chai';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmulatorChain } from '../../../src/adapters/cardano/emulator-chain.js';
import {
  assetNameFor,
  buildMintTransaction,
  policyFor,
  type MintedTx,
  type PdfRecord,
} from '../../../src/adapters/cardano/mint-transaction.js';
import { createMemoryPersistence } from '../../../src/adapters/memory/index.js';
import { onChainHashOf, VerifyReport } from '../../../src/application/verify/verify-report.js';
import { ChainErrors } from '../../../src/domain/chain/chain.js';
import type { ReportVariant } from '../../../src/domain/inspection/report.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { CID, sampleNft, testWallet } from '../../contract/chain.contract.js';
import { ForwardingChain } from '../../support/forwarding-chain.js';
import { newInspection } from '../../contract/inspection-ports.contract.js';
import { newUser } from '../../contract/user-repository.contract.js';
import { rejection } from '../../support/rejection.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const NOW = new Date('2026-11-24T02:00:00.000Z');
const wallet = testWallet('verify-report');

/** The real emulator, except that its reads can be made to fail (a provider outage or an open breaker). */
class SwitchableChain extends ForwardingChain {
  failure: Error | undefined;
  override async assetMint(p: string, n: string) {
    if (this.failure) throw this.failure;
    return this.inner.assetMint(p, n);
  }
}

describe('VerifyReport (memory persistence, emulator chain)', () => {
  let dir: string;
  let emulator: EmulatorChain;
  let chain: SwitchableChain;
  let p: ReturnType<typeof createMemoryPersistence>;
  let verify: VerifyReport;
  let inspectorId: string;
  let branchId: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-verify-'));
    emulator = new EmulatorChain({ dir, fundedAddress: wallet.address, utxoCount: 30 });
  });
  after(async () => {
    emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    chain = new SwitchableChain(emulator);
    p = createMemoryPersistence();
    verify = new VerifyReport(p.inspections, p.reports, p.mintJobStore, chain, () => NOW);
    branchId = (await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, NOW)).id;
    inspectorId = (
      await p.users.create(
        newUser({ role: 'INSPECTOR', branchCityId: branchId, passwordHash: null, pinHash: 'h' }),
        NOW,
      )
    ).id;
  });

  /** An inspection with stored reports of the given hashes (what the report job leaves behind). */
  async function inspectionWithReports(hashes: Partial<Record<ReportVariant, string>>) {
    const inspection = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), NOW);
    for (const [variant, sha256] of Object.entries(hashes)) {
      await p.reports.upsert({
        inspectionId: inspection.id,
        variant: variant as ReportVariant,
        storageDriver: 'fs',
        storageKey: `reports/${inspection.id}/${variant}.pdf`,
        sha256,
        sizeBytes: 1234,
        pageCount: 3,
        htmlSha256: sha('html'),
        ipfsCid: CID,
        pdfJobId: null,
        createdAt: NOW,
      });
    }
    return inspection;
  }

  /** Mints the NFT on the emulator (one block) carrying `pdfs`. */
  async function mintOnChain(inspectionId: string, pdfs: PdfRecord[]): Promise<MintedTx> {
    const utxos = (await emulator.utxosAt(wallet.address)).filter((u) => Object.keys(u.assets).length === 0);
    const minted = buildMintTransaction({
      ...wallet,
      walletAddress: wallet.address,
      utxos: utxos.slice(0, 1),
      params: await emulator.protocolParameters(),
      inspectionId,
      nft: { ...sampleNft(), pdfs },
    });
    await emulator.submit(minted.txCborHex);
    await emulator.advanceBlock();
    return minted;
  }

  /** A CONFIRMED mint job through the store's own transitions. */
  async function confirmedJob(inspectionId: string, tx: { policyId: string; assetName: string; txHash: string }) {
    const job = await p.mintJobs.enqueue(
      { inspectionId, trigger: 'manual', policyId: tx.policyId, assetName: tx.assetName },
      NOW,
    );
    expect(await p.mintJobStore.markSubmitted(job.id, { hash: tx.txHash, cbor: null, inputs: [] }, NOW)).to.equal(true);
    expect(
      await p.mintJobStore.confirm(
        job.id,
        { txHash: tx.txHash, assetId: `${tx.policyId}${tx.assetName}`, confirmations: 1 },
        NOW,
      ),
    ).to.equal(true);
    return job;
  }

  async function mintedInspection(full: string, noDocs: string) {
    const inspection = await inspectionWithReports({ full, 'no-docs': noDocs });
    const minted = await mintOnChain(inspection.id, [
      { variant: 'full', sha256: full, cid: CID },
      { variant: 'no-docs', sha256: noDocs, cid: CID },
    ]);
    await confirmedJob(inspection.id, {
      policyId: minted.policyIdHex,
      assetName: minted.assetNameHex,
      txHash: minted.txHash,
    });
    return { inspection, minted };
  }

  it('an unknown hash is not authentic: no report, no chain (an answer, not an error)', async () => {
    const unknown = sha('never issued');
    expect(await verify.execute({ sha256: unknown })).to.deep.equal({
      sha256: unknown,
      authentic: false,
      report: null,
      chain: null,
    });
  });

  it('a report of ours that is not minted yet is not authentic: the report is shown, chain is null', async () => {
    const full = sha('unminted full');
    const inspection = await inspectionWithReports({ full });
    // A mint in flight (QUEUED, then SUBMITTED) is not a confirmed one.
    const job = await p.mintJobs.enqueue(
      {
        inspectionId: inspection.id,
        trigger: 'auto',
        policyId: policyFor(wallet.signingKeyHex).policyIdHex,
        assetName: assetNameFor(inspection.id).hex,
      },
      NOW,
    );
    await p.mintJobStore.markSubmitted(job.id, { hash: 'ab'.repeat(32), cbor: null, inputs: [] }, NOW);
    expect(await verify.execute({ sha256: full })).to.deep.equal({
      sha256: full,
      authentic: false,
      report: {
        prettyId: inspection.prettyId,
        variant: 'full',
        inspectionDate: inspection.inspectionDate,
        status: 'NEED_REVIEW',
        ipfsCid: CID,
      },
      chain: null,
    });
  });

  it('a minted report whose on-chain hash matches is authentic (either variant; the hash in any case)', async () => {
    const full = sha('minted full');
    const noDocs = sha('minted no-docs');
    const { inspection, minted } = await mintedInspection(full, noDocs);
    const r = await verify.execute({ sha256: full.toUpperCase() });
    expect(r).to.deep.equal({
      sha256: full,
      authentic: true,
      report: {
        prettyId: inspection.prettyId,
        variant: 'full',
        inspectionDate: inspection.inspectionDate,
        status: 'NEED_REVIEW',
        ipfsCid: CID,
      },
      chain: {
        txHash: minted.txHash,
        assetId: minted.unit,
        policyId: minted.policyIdHex,
        assetName: minted.assetNameHex,
        network: 'emulator',
        onChainHash: full,
        hashMatches: true,
        checkedAt: NOW,
      },
    });
    const publicPdf = await verify.execute({ sha256: noDocs });
    expect(publicPdf.authentic).to.equal(true);
    expect(publicPdf.report?.variant).to.equal('no-docs');
    expect(publicPdf.chain?.onChainHash).to.equal(noDocs);
  });

  it('a tampered database row (its hash differs from the one minted) is not authentic', async () => {
    const minted = sha('the PDF that was minted');
    const forged = sha('a different PDF written into the database afterwards');
    const { inspection } = await mintedInspection(minted, sha('no-docs'));
    await p.reports.upsert({
      ...(await p.reports.listForInspection(inspection.id)).find((r) => r.variant === 'full')!,
      sha256: forged,
    });
    const r = await verify.execute({ sha256: forged });
    expect(r.authentic).to.equal(false);
    expect(r.report?.prettyId).to.equal(inspection.prettyId);
    expect(r.chain).to.include({ onChainHash: minted, hashMatches: false });
  });

  it('a confirmed mint job whose asset is not on the chain is not authentic (chain shown, no on-chain hash)', async () => {
    const full = sha('asset missing');
    const inspection = await inspectionWithReports({ full });
    const policyId = policyFor(wallet.signingKeyHex).policyIdHex;
    const assetName = assetNameFor(inspection.id).hex;
    await confirmedJob(inspection.id, { policyId, assetName, txHash: 'cd'.repeat(32) });
    expect(await verify.execute({ sha256: full })).to.deep.include({
      authentic: false,
      chain: {
        txHash: 'cd'.repeat(32),
        assetId: `${policyId}${assetName}`,
        policyId,
        assetName,
        network: 'emulator',
        onChainHash: null,
        hashMatches: false,
        checkedAt: NOW,
      },
    });
  });

  it('a deactivated inspection is still reported, with its status; authenticity comes from the chain', async () => {
    const full = sha('deactivated full');
    const { inspection } = await mintedInspection(full, sha('deactivated no-docs'));
    await p.inspections.update(inspection.id, { status: 'DEACTIVATED' }, NOW);
    const r = await verify.execute({ sha256: full });
    expect(r.report?.status).to.equal('DEACTIVATED');
    expect(r.authentic).to.equal(true);
  });

  it('when the chain cannot be asked, the error propagates (no verdict from the database alone)', async () => {
    const full = sha('chain down');
    await mintedInspection(full, sha('chain down no-docs'));
    chain.failure = ChainErrors.unavailable('connect ECONNREFUSED');
    expect(await rejection(verify.execute({ sha256: full }))).to.include({
      code: 'CHAIN.UNAVAILABLE',
      kind: 'unavailable',
    });
    chain.failure = new DomainError(
      'DEPENDENCY.CIRCUIT_OPEN',
      'unavailable',
      'chain is failing; calls are paused for a while.',
    );
    expect(await rejection(verify.execute({ sha256: full }))).to.include({
      code: 'DEPENDENCY.CIRCUIT_OPEN',
      kind: 'unavailable',
    });
    // An unknown or unminted hash needs no chain: still answered.
    expect((await verify.execute({ sha256: sha('unknown') })).authentic).to.equal(false);
  });

  it('an emulator whose state cannot be read fails with CHAIN.UNAVAILABLE through the use case', async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), 'cardano-verify-broken-'));
    try {
      await writeFile(path.join(broken, 'chain'), 'a file where the directory should be');
      const full = sha('broken chain');
      const inspection = await inspectionWithReports({ full });
      await confirmedJob(inspection.id, {
        policyId: policyFor(wallet.signingKeyHex).policyIdHex,
        assetName: assetNameFor(inspection.id).hex,
        txHash: 'ef'.repeat(32),
      });
      const v = new VerifyReport(
        p.inspections,
        p.reports,
        p.mintJobStore,
        new EmulatorChain({ dir: path.join(broken, 'chain'), fundedAddress: wallet.address }),
        () => NOW,
      );
      expect((await rejection(v.execute({ sha256: full }))).code).to.equal('CHAIN.UNAVAILABLE');
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('refuses a hash that is not 64 hex digits with VERIFY.INVALID_HASH at /sha256', async () => {
    for (const bad of [
      '',
      'abc',
      'ab'.repeat(31) + 'a',
      'ab'.repeat(32) + 'a',
      'zz'.repeat(32),
      ` ${'ab'.repeat(32)}`,
    ]) {
      const e = await rejection(verify.execute({ sha256: bad }));
      expect(e, JSON.stringify(bad)).to.be.instanceOf(DomainError);
      expect(e).to.include({ code: 'VERIFY.INVALID_HASH', kind: 'validation' });
      expect((e as DomainError).details).to.deep.equal([{ path: '/sha256', message: 'must be 64 hexadecimal digits' }]);
    }
  });

  it('an uploaded file must be a PDF by content; a PDF is verified by the hash computed on receipt', async () => {
    const full = sha('uploaded');
    await mintedInspection(full, sha('uploaded no-docs'));
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    expect(await rejection(verify.executeForFile({ head: jpeg, sha256: full }))).to.include({
      code: 'VERIFY.NOT_A_PDF',
      kind: 'unsupported_media',
    });
    expect(
      await rejection(verify.executeForFile({ head: new Uint8Array(Buffer.from('%PD')), sha256: full })),
    ).to.include({ code: 'VERIFY.NOT_A_PDF' });
    expect(
      (await verify.executeForFile({ head: new Uint8Array(Buffer.from('%PDF-1.7\n%âãÏÓ')), sha256: full })).authentic,
    ).to.equal(true);
  });

  describe('onChainHashOf (reading CIP-25 metadata)', () => {
    const h = 'ab'.repeat(32);
    it('takes the entry of the variant, joining strings stored as chunks', () => {
      const metadata = {
        pdf: [
          {
            variant: 'full',
            alg: 'sha256',
            hash: ['ab'.repeat(16), 'ab'.repeat(16)],
            cid: [CID.slice(0, 30), CID.slice(30)],
          },
          { variant: ['no-', 'docs'], alg: 'sha256', hash: 'cd'.repeat(32), cid: CID },
        ],
      };
      expect(onChainHashOf(metadata, 'full')).to.equal(h);
      expect(onChainHashOf(metadata, 'no-docs')).to.equal('cd'.repeat(32));
    });
    it('is null without metadata, without the variant, for another algorithm or a malformed entry', () => {
      expect(onChainHashOf(null, 'full')).to.equal(null);
      expect(onChainHashOf({}, 'full')).to.equal(null);
      expect(onChainHashOf({ pdf: 'x' }, 'full')).to.equal(null);
      expect(onChainHashOf({ pdf: [{ variant: 'no-docs', alg: 'sha256', hash: h }] }, 'full')).to.equal(null);
      expect(onChainHashOf({ pdf: [{ variant: 'full', alg: 'blake2b-256', hash: h }] }, 'full')).to.equal(null);
      expect(onChainHashOf({ pdf: [null, 7, { variant: 'full', alg: 'sha256', hash: 12 }] }, 'full')).to.equal(null);
    });
  });
});

describe('VerifyReport answer cache (per hash, bounded, errors never reused)', () => {
  const found = {
    inspectionId: 'i1',
    variant: 'full' as const,
    storageDriver: 'fs',
    storageKey: 'k',
    sha256: 'a'.repeat(64),
    sizeBytes: 1,
    pageCount: 1,
    htmlSha256: 'b'.repeat(64),
    ipfsCid: null,
    pdfJobId: null,
    createdAt: NOW,
  };
  const inspection = { id: 'i1', prettyId: 'YOG-01012026-001', inspectionDate: '2026-01-01', status: 'ARCHIVED' };
  const mint = {
    inspectionId: 'i1',
    policyId: 'ab'.repeat(28),
    assetName: 'cd'.repeat(16),
    assetId: null,
    txHash: 'e'.repeat(64),
    pendingTxHash: null,
  };

  function subject(ttlMs: number, maxEntries: number) {
    let now = NOW.getTime();
    const asked: string[] = [];
    let failNext = false;
    const chain = {
      network: 'preview',
      assetMint: async () => {
        if (failNext) {
          failNext = false;
          throw ChainErrors.unavailable('provider down');
        }
        asked.push('assetMint');
        return {
          txHash: 'e'.repeat(64),
          metadata: { pdf: [{ variant: 'full', alg: 'sha256', hash: 'a'.repeat(64) }] },
        };
      },
    };
    // Every hash of the form x...x names the same minted report (the cache is keyed by the hash asked).
    const verify = new VerifyReport(
      { findById: async () => inspection } as never,
      { findBySha256: async (h: string) => [{ ...found, sha256: h }] } as never,
      { confirmedFor: async () => [mint] } as never,
      chain as never,
      () => new Date(now),
      { ttlMs, maxEntries },
    );
    return { verify, asked, later: (ms: number) => void (now += ms), fail: () => void (failNext = true) };
  }
  const h = (c: string) => c.repeat(64);

  it('asks the chain once per hash within the TTL, again after it; checkedAt says when it asked', async () => {
    const s = subject(60_000, 100);
    const first = await s.verify.execute({ sha256: h('a') });
    expect(first.authentic).to.equal(true);
    expect(await s.verify.execute({ sha256: h('A') }), 'case does not make another hash').to.deep.equal(first);
    expect(s.asked).to.have.length(1);
    s.later(59_000);
    await s.verify.execute({ sha256: h('a') });
    expect(s.asked).to.have.length(1);
    s.later(2_000);
    const fresh = await s.verify.execute({ sha256: h('a') });
    expect(s.asked).to.have.length(2);
    expect(fresh.chain?.checkedAt.getTime()).to.equal(NOW.getTime() + 61_000);
    await s.verify.execute({ sha256: h('b') });
    expect(s.asked, 'another hash asks the chain').to.have.length(3);
  });

  it('never reuses an error, keeps at most maxEntries answers (the oldest dropped), and TTL 0 disables it', async () => {
    const s = subject(60_000, 2);
    s.fail();
    const e = await rejection(s.verify.execute({ sha256: h('c') }));
    expect((e as DomainError).code).to.equal('CHAIN.UNAVAILABLE');
    await s.verify.execute({ sha256: h('c') });
    expect(s.asked, 'the error was not kept').to.have.length(1);
    await s.verify.execute({ sha256: h('d') });
    await s.verify.execute({ sha256: h('e') });
    expect(s.asked).to.have.length(3);
    await s.verify.execute({ sha256: h('c') });
    expect(s.asked, 'c was the oldest of three and was dropped').to.have.length(4);
    await s.verify.execute({ sha256: h('e') });
    expect(s.asked, 'e is still kept').to.have.length(4);
    const off = subject(0, 100);
    await off.verify.execute({ sha256: h('a') });
    await off.verify.execute({ sha256: h('a') });
    expect(off.asked).to.have.length(2);
  });
});
