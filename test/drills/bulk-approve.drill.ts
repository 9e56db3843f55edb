/**
 * Drill 1, bulk approve: N inspections with real photos approved in one bulk call (ARCHIVE_AUTO=true), the
 * in-process report and mint workers take them all the way to ARCHIVED: N distinct assets on chain, 2N
 * PDFs in object storage, 2N CIDs in IPFS.
 */
import { expect } from 'chai';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { Chain } from '../../src/ports/chain.js';
import { Ipfs } from '../../src/ports/ipfs.js';
import { NftMinter } from '../../src/ports/nft-minter.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { startRig, waitArchived, type Rig } from './support/harness.js';
import { drillSummary, seconds, sized } from './support/size.js';
import { verifyArchived } from './support/verify.js';

const N = sized(4, 50);
const PHOTOS = sized(3, 8);

describe(`drill: bulk approve ${N} inspections x ${PHOTOS} photos -> ARCHIVED`, function () {
  this.timeout(sized(150_000, 1_800_000));
  let rig: Rig;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    rig = await startRig({ env: { CHAIN_EMULATOR_UTXOS: String(N + 10) } });
  });
  after(async () => {
    await rig?.stop();
  });

  it('every inspection is archived once: N assets, 2N PDFs stored, 2N CIDs', async () => {
    const made = await rig.createInspections(N, PHOTOS);
    const ids = made.map((m) => m.id);
    const t0 = Date.now();
    const jobIds = await rig.bulkApprove(ids);
    expect(new Set(jobIds).size).to.equal(N);
    await waitArchived(rig.knex, ids, sized(120_000, 1_700_000));
    const wall = Date.now() - t0;

    const c = rig.t.container;
    const figures = await verifyArchived({
      knex: rig.knex,
      storage: c.get(ObjectStorage),
      ipfs: c.get(Ipfs),
      chain: c.get(Chain),
      walletAddress: c.get<NftMinter>(NftMinter).walletAddress,
      ids,
    });
    const perInspection = rig.renders.perInspection();
    expect(
      [...perInspection.values()].every((r) => r === 2),
      'two renders per inspection',
    ).to.equal(true);
    const jobs = await rig.knex('pdf_jobs').whereIn('inspection_id', ids);
    expect(jobs.every((j) => j.state === 'DONE')).to.equal(true);
    const mints = await rig.knex('mint_jobs').whereIn('inspection_id', ids);
    const renderMs = jobs.map(
      (j) => Number(j.artifacts.full?.renderMs ?? 0) + Number(j.artifacts['no-docs']?.renderMs ?? 0),
    );
    drillSummary('bulk-approve', {
      inspections: N,
      photosEach: PHOTOS,
      archived: figures.archived,
      assets: figures.assets,
      pdfs: figures.pdfs,
      cids: figures.cids,
      pdfMB: figures.pdfMB,
      renders: rig.renders.records.length,
      reportAttempts: jobs.reduce((s, j) => s + j.attempts, 0),
      mintAttempts: mints.reduce((s, j) => s + j.attempts, 0),
      avgRenderPerReport: seconds(renderMs.reduce((a, b) => a + b, 0) / N),
      approveToAllArchived: seconds(wall),
    });
  });
});
