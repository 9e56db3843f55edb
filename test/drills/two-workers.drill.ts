/**
 * Drill 6, two worker processes on one database: the API in the test process, two `worker-main` processes
 * rendering from it and minting through a shared Blockfrost-compatible chain. Every report job and every mint
 * job is processed exactly once (one attempt each, one "report job finished" and one "mint submitted" line
 * per job across both processes), both processes do part of the work, and every inspection is archived.
 */
import { expect } from 'chai';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import path from 'node:path';
import { startCluster, type Cluster, type WorkerProcess } from './support/cluster.js';
import { waitArchived } from './support/harness.js';
import { drillSummary, seconds, sized } from './support/size.js';
import { verifyArchived } from './support/verify.js';

const N = sized(4, 50);
const PHOTOS = sized(3, 8);

describe(`drill: two worker processes share ${N} inspections`, function () {
  this.timeout(sized(150_000, 1_800_000));
  let cluster: Cluster;
  let workers: WorkerProcess[];

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    // Chain calls get a generous budget: a timed-out call would be retried and count as a second attempt.
    cluster = await startCluster({ env: { CHAIN_SUBMIT_TIMEOUT_MS: '30000', CHAIN_EMULATOR_UTXOS: '60' } });
    workers = await Promise.all([cluster.spawnWorker('A'), cluster.spawnWorker('B')]);
  });
  after(async () => {
    await cluster?.stop();
  });

  it('each job is processed exactly once, by one of the two processes; both take part; all ARCHIVED', async () => {
    const { rig } = cluster;
    const made = await rig.createInspections(N, PHOTOS);
    const ids = made.map((m) => m.id);
    const t0 = Date.now();
    await rig.bulkApprove(ids);
    await waitArchived(rig.knex, ids, sized(140_000, 1_700_000));
    const wall = Date.now() - t0;

    const jobs = await rig.knex('pdf_jobs').whereIn('inspection_id', ids);
    const mints = await rig.knex('mint_jobs').whereIn('inspection_id', ids);
    expect(
      jobs.map((j) => [j.state, j.attempts]),
      'report jobs: DONE in one attempt',
    ).to.deep.equal(Array(N).fill(['DONE', 1]));
    expect(
      mints.map((j) => [j.state, j.attempts]),
      'mint jobs: CONFIRMED in one attempt',
    ).to.deep.equal(Array(N).fill(['CONFIRMED', 1]));

    // Who did what, from each process's own log.
    const finished = workers.map((w) => w.lines().filter((l) => l.message === 'report job finished'));
    const submitted = workers.map((w) => w.lines().filter((l) => l.message === 'mint submitted'));
    const finishedIds = finished.flat().map((l) => l.pdfJobId);
    expect([...finishedIds].sort(), 'each report job finished exactly once across both processes').to.deep.equal(
      jobs.map((j) => j.id).sort(),
    );
    expect(finished.flat().every((l) => l.state === 'DONE' && l.attempt === 1)).to.equal(true);
    expect(
      submitted
        .flat()
        .map((l) => l.mintJobId)
        .sort(),
      'each mint submitted exactly once across both processes',
    ).to.deep.equal(mints.map((j) => j.id).sort());
    expect(
      finished.map((f) => f.length).every((n) => n > 0),
      `both processes rendered (${finished.map((f) => f.length).join('/')})`,
    ).to.equal(true);
    for (const w of workers)
      expect(
        w.count('report job failed') + w.count('mint attempt failed: will retry'),
        `${w.name}: no failed attempt`,
      ).to.equal(0);

    const ipfs = new EmbeddedIpfs({ dir: path.join(rig.dir, 'ipfs') });
    const figures = await verifyArchived({
      knex: rig.knex,
      storage: rig.t.container.get(ObjectStorage),
      ipfs,
      chain: cluster.chain,
      walletAddress: cluster.walletAddress,
      ids,
    });
    drillSummary('two-workers', {
      inspections: N,
      photosEach: PHOTOS,
      archived: figures.archived,
      assets: figures.assets,
      reportsByWorker: finished.map((f, i) => `${workers[i]?.name}:${f.length}`).join('/'),
      mintsByWorker: submitted.map((s, i) => `${workers[i]?.name}:${s.length}`).join('/'),
      reportAttempts: jobs.reduce((s, j) => s + j.attempts, 0),
      mintAttempts: mints.reduce((s, j) => s + j.attempts, 0),
      approveToAllArchived: seconds(wall),
    });
  });
});
