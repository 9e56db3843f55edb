import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { buildMintTransaction, type MintedTx } from '../../src/adapters/cardano/mint-transaction.js';
import { ChainErrors } from '../../src/domain/chain/chain.js';
import type { Inspection } from '../../src/domain/inspection/inspection.js';
import type { Chain } from '../../src/ports/chain.js';
import { Tokens } from '../../src/main/tokens.js';
import { MintJobStore } from '../../src/ports/mint-jobs.js';
import { InspectionReports } from '../../src/ports/report-jobs.js';
import { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs, imageBytes } from '../support/inspections.js';
import { CID, sampleNft, testWallet } from '../contract/chain.contract.js';
import { ForwardingChain } from '../support/forwarding-chain.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const wallet = testWallet('verify-api');
const VERIFY = '/api/v1/public/verify';

/** A small real PDF (pdf-lib), different for each title. */
async function pdfBytes(title: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`CAR-dano inspection report ${title}`, { x: 50, y: 780, size: 14, font });
  doc.setTitle(title);
  return Buffer.from(await doc.save());
}

/** The emulator behind the Chain port, with an outage switch. */
class SwitchableChain extends ForwardingChain {
  down = false;
  /** Runs while a verification asks the chain (the request is still being served). */
  whileAsked: (() => Promise<void>) | undefined;
  override async assetMint(p: string, n: string) {
    if (this.down) throw ChainErrors.unavailable('connect ECONNREFUSED');
    await this.whileAsked?.();
    return this.inner.assetMint(p, n);
  }
}

describe('API: public report verification (PostgreSQL, emulator chain)', () => {
  let knex: Knex;
  let t: TestApp;
  let chainDir: string;
  let uploadDir: string;
  let emulator: EmulatorChain;
  let chain: SwitchableChain;
  let inspection: Inspection;
  let pdf: Buffer;
  let minted: MintedTx;

  useTestDatabase((k) => (knex = k));
  before(async () => {
    chainDir = await mkdtemp(path.join(os.tmpdir(), 'cardano-verify-api-chain-'));
    emulator = new EmulatorChain({ dir: chainDir, fundedAddress: wallet.address, utxoCount: 10 });
  });
  after(async () => {
    emulator.close();
    await rm(chainDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    uploadDir = await mkdtemp(path.join(os.tmpdir(), 'cardano-verify-api-uploads-'));
    chain = new SwitchableChain(emulator);
    const override = new ContainerModule(({ rebind }) => {
      rebind<Chain>(Tokens.ChainProvider).toConstantValue(chain);
    });
    t = buildTestApp({ knex, overrides: [override], http: { uploadTmpDir: uploadDir } });
    const inspector = await new Actors(t.container).create('INSPECTOR');
    inspection = await createInspectionAs(t.container, inspector);

    // What the report job and the mint leave behind: the stored PDFs, the NFT on chain, a CONFIRMED job.
    pdf = await pdfBytes(`${inspection.prettyId}-full`);
    const noDocs = await pdfBytes(`${inspection.prettyId}-no-docs`);
    const reports = t.container.get<InspectionReports>(InspectionReports);
    for (const [variant, bytes] of [
      ['full', pdf],
      ['no-docs', noDocs],
    ] as const) {
      await reports.upsert({
        inspectionId: inspection.id,
        variant,
        storageDriver: 'fs',
        storageKey: `reports/${inspection.id}/${variant}.pdf`,
        sha256: sha(bytes),
        sizeBytes: bytes.length,
        pageCount: 1,
        htmlSha256: sha(Buffer.from(variant)),
        ipfsCid: CID,
        pdfJobId: null,
        createdAt: new Date(),
      });
    }
    const utxos = (await emulator.utxosAt(wallet.address)).filter((u) => Object.keys(u.assets).length === 0);
    minted = buildMintTransaction({
      ...wallet,
      walletAddress: wallet.address,
      utxos: utxos.slice(0, 1),
      params: await emulator.protocolParameters(),
      inspectionId: inspection.id,
      nft: {
        ...sampleNft(),
        pdfs: [
          { variant: 'full', sha256: sha(pdf), cid: CID },
          { variant: 'no-docs', sha256: sha(noDocs), cid: CID },
        ],
      },
    });
    await emulator.submit(minted.txCborHex);
    await emulator.advanceBlock();
    const job = await t.container.get<UnitOfWork>(UnitOfWork).run((tx) =>
      tx.mintJobs.enqueue(
        {
          inspectionId: inspection.id,
          trigger: 'manual',
          policyId: minted.policyIdHex,
          assetName: minted.assetNameHex,
        },
        new Date(),
      ),
    );
    const jobs = t.container.get<MintJobStore>(MintJobStore);
    expect(
      await jobs.markSubmitted(
        job.id,
        { hash: minted.txHash, cbor: minted.txCborHex, inputs: minted.inputs },
        new Date(),
      ),
    ).to.equal(true);
    expect(
      await jobs.confirm(job.id, { txHash: minted.txHash, assetId: minted.unit, confirmations: 1 }, new Date()),
    ).to.equal(true);
  });
  afterEach(() => rm(uploadDir, { recursive: true, force: true }));

  /** Temporary files go when the response has ended (asynchronously): wait until the directory is empty. */
  async function expectNoUploadsLeft(): Promise<void> {
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = await readdir(uploadDir);
      if (left.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(left, 'temporary upload files').to.deep.equal([]);
  }

  it('JSON {sha256}: no login needed; a minted report whose on-chain hash matches is authentic', async () => {
    const r = await t.api.post(VERIFY).send({ sha256: sha(pdf).toUpperCase() });
    expect(r.status).to.equal(200);
    expect(r.headers['cache-control']).to.equal('no-store');
    expect(r.body).to.deep.include({
      sha256: sha(pdf),
      authentic: true,
      report: {
        prettyId: inspection.prettyId,
        variant: 'full',
        inspectionDate: inspection.inspectionDate,
        status: inspection.status,
        ipfsCid: CID,
      },
    });
    expect(r.body.chain).to.deep.include({
      txHash: minted.txHash,
      assetId: minted.unit,
      policyId: minted.policyIdHex,
      assetName: minted.assetNameHex,
      network: 'emulator',
      onChainHash: sha(pdf),
      hashMatches: true,
    });
    expect(Date.parse(r.body.chain.checkedAt)).to.be.closeTo(Date.now(), 60_000);
  });

  it('multipart: the uploaded PDF is hashed on receipt and verified; the temporary file is gone afterwards', async () => {
    let during: string[] = [];
    chain.whileAsked = async () => {
      during = await readdir(uploadDir);
    };
    const r = await t.api.post(VERIFY).attach('file', pdf, { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body).to.deep.include({ sha256: sha(pdf), authentic: true });
    expect(r.body.report.variant).to.equal('full');
    expect(during, 'the upload was received into the temporary directory').to.have.length(1);
    await expectNoUploadsLeft();
  });

  it('a PDF that is not ours is answered (200, not authentic, no report); so is a hash of ours not minted', async () => {
    const stranger = await pdfBytes('not a CAR-dano report');
    const r = await t.api.post(VERIFY).attach('file', stranger, 'other.pdf');
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ sha256: sha(stranger), authentic: false, report: null, chain: null });
    await knex('mint_jobs').where({ inspection_id: inspection.id }).delete();
    const unminted = await t.api.post(VERIFY).send({ sha256: sha(pdf) });
    expect(unminted.body).to.deep.include({ authentic: false, chain: null });
    expect(unminted.body.report.prettyId).to.equal(inspection.prettyId);
    await expectNoUploadsLeft();
  });

  it('a tampered database row (hash changed after the mint) is not authentic: the chain disagrees', async () => {
    const forged = sha(Buffer.from('forged'));
    await knex('inspection_reports')
      .where({ inspection_id: inspection.id, variant: 'full' })
      .update({ sha256: forged });
    const r = await t.api.post(VERIFY).send({ sha256: forged });
    expect(r.body.authentic).to.equal(false);
    expect(r.body.chain).to.include({ onChainHash: sha(pdf), hashMatches: false });
  });

  it('refuses a file that is not a PDF by content with 415 VERIFY.NOT_A_PDF (and removes it)', async () => {
    const r = await t.api
      .post(VERIFY)
      .attach('file', imageBytes('jpeg', 4000), { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(r.status).to.equal(415);
    expect(r.body.code).to.equal('VERIFY.NOT_A_PDF');
    await expectNoUploadsLeft();
  });

  it('refuses a PDF over 50 MB with 413 VERIFY.TOO_LARGE (and removes what was received)', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 1, 0x20);
    Buffer.from('%PDF-1.7\n').copy(big);
    const r = await t.api.post(VERIFY).attach('file', big, 'huge.pdf');
    expect(r.status).to.equal(413);
    expect(r.body.code).to.equal('VERIFY.TOO_LARGE');
    await expectNoUploadsLeft();
  });

  it('answers 503 when the chain cannot be asked, instead of a verdict from the database alone', async () => {
    chain.down = true;
    const r = await t.api.post(VERIFY).send({ sha256: sha(pdf) });
    expect(r.status).to.equal(503);
    expect(r.body.code).to.equal('CHAIN.UNAVAILABLE');
    const upload = await t.api.post(VERIFY).attach('file', pdf, 'report.pdf');
    expect(upload.status).to.equal(503);
    await expectNoUploadsLeft();
  });

  it('verification failures open its own breaker ("chain-verify"), never the chain breaker minting depends on', async () => {
    const strict = buildTestApp({
      knex,
      env: { BREAKER_VOLUME_THRESHOLD: '2' },
      overrides: [
        new ContainerModule(({ rebind }) => {
          rebind<Chain>(Tokens.ChainProvider).toConstantValue(chain);
        }),
      ],
      http: { uploadTmpDir: uploadDir },
    });
    chain.down = true;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await strict.api.post(VERIFY).send({ sha256: sha(pdf) })).status);
    expect(
      statuses.every((s) => s === 503),
      String(statuses),
    ).to.equal(true);
    const health = strict.container.get(Tokens.DependencyHealth);
    expect(health.openOnes()).to.include('chain-verify');
    expect(health.openOnes()).to.not.include('chain');
    expect(health.anyOpen(['chain']), 'minting is not paused by verification traffic').to.equal(false);
  });

  it('has a rate-limit bucket of its own: the third verification in the window is 429, the rest of the API still answers', async () => {
    const limited = buildTestApp({
      knex,
      env: { VERIFY_RATE_LIMIT_MAX: '2' },
      overrides: [
        new ContainerModule(({ rebind }) => {
          rebind<Chain>(Tokens.ChainProvider).toConstantValue(chain);
        }),
      ],
      http: { uploadTmpDir: uploadDir },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await limited.api.post(VERIFY).send({ sha256: sha(pdf) })).status);
    expect(statuses).to.deep.equal([200, 200, 429]);
    expect((await limited.api.get('/api/v1/health/live')).status).to.equal(200);
  });

  it('bad requests: a malformed hash, no body, another media type', async () => {
    const bad = await t.api.post(VERIFY).send({ sha256: 'xyz' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/body/sha256']);
    expect((await t.api.post(VERIFY)).status).to.equal(400);
    const text = await t.api.post(VERIFY).set('content-type', 'text/plain').send(sha(pdf));
    expect(text.status).to.equal(415);
    expect(text.body.code).to.equal('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    const both = await t.api.post(VERIFY).field('sha256', sha(pdf));
    expect(both.status, 'multipart without the file').to.equal(400);
  });
});
