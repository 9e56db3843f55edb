/**
 * Drill 4, a worker process killed mid-batch: the API in the test process, one `worker-main` process
 * rendering and minting (through the shared Blockfrost-compatible chain). While it holds running jobs it is
 * SIGKILLed and a new one started: the jobs the dead one held come back once their heartbeat is missed
 * (JOB_HEARTBEAT_SECONDS, checked every JOB_MONITOR_SECONDS by any live process) and resume at their
 * persisted stage. Everything is archived, nothing is lost, nothing is minted twice. (Before heartbeats, a
 * killed report job waited out its expiry, 3 x RENDER_TIMEOUT_MS.) The whole tree, database included, is
 * killed in crash-recovery.drill.ts.
 */
import { expect } from 'chai';
import path from 'node:path';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { MINT_QUEUE, REPORT_QUEUE } from '../../src/adapters/queue/pg-boss-bus.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { startCluster, type Cluster, type WorkerProcess } from './support/cluster.js';
import { until, waitArchived } from './support/harness.js';
import { drillSummary, seconds, sized } from './support/size.js';
import { verifyArchived } from './support/verify.js';

const N = sized(4, 12);
const PHOTOS = sized(3, 6);

describe(`drill: the worker process is killed mid-batch (${N} inspections) and started again`, function () {
  this.timeout(sized(180_000, 900_000));
  let cluster: Cluster;
  let second: WorkerProcess | undefined;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    cluster = await startCluster({
      fastMaintenance: true,
      env: {
        // The shortest expiries the configuration allows: report jobs 30 s, mint jobs 16 s.
        RENDER_TIMEOUT_MS: '10000',
        CHAIN_SUBMIT_TIMEOUT_MS: '2000',
        // A mint the dead worker recorded as SUBMITTED but never sent is rebuilt after 5 s unseen.
        MINT_CONFIRM_TIMEOUT_MS: '5000',
        REPORT_JOB_RETRY_LIMIT: '5',
        MINT_JOB_RETRY_LIMIT: '5',
      },
    });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('the jobs the dead worker held come back and finish; all ARCHIVED, one mint per inspection, no job lost', async () => {
    const { rig, chain } = cluster;
    const made = await rig.createInspections(N, PHOTOS);
    const ids = made.map((m) => m.id);
    const first = await cluster.spawnWorker('first');
    const t0 = Date.now();
    await rig.bulkApprove(ids);

    // Mid-batch: some reports done, some being rendered.
    const byState = async () =>
      Object.fromEntries(
        (
          (await rig
            .knex('pdf_jobs')
            .whereIn('inspection_id', ids)
            .select('state')
            .count({ n: '*' })
            .groupBy('state')) as Array<{ state: string; n: string }>
        ).map((r) => [r.state, Number(r.n)]),
      );
    await until(
      async () => {
        const s = await byState();
        return (s.DONE ?? 0) >= 1 && (s.RUNNING ?? 0) >= 1;
      },
      120_000,
      'a report job DONE while another is RUNNING',
      50,
    );
    await first.kill();
    const killedAt = Date.now();
    // What the dead worker held: its RUNNING rows (nothing else runs them now).
    const held = await rig
      .knex('pdf_jobs')
      .whereIn('inspection_id', ids)
      .where({ state: 'RUNNING' })
      .select('id', 'stage');
    expect(held.length, 'the worker died holding report jobs').to.be.at.least(1);
    const mintsAtKill = await rig.knex('mint_jobs').whereIn('inspection_id', ids).select('id', 'state');
    const atKill = await byState();
    second = await cluster.spawnWorker('second');

    await waitArchived(rig.knex, ids, sized(170_000, 800_000));
    const done = Date.now();

    // No job lost: every report job DONE, every inspection one CONFIRMED mint and nothing else.
    const jobs = await rig.knex('pdf_jobs').whereIn('inspection_id', ids);
    expect(
      jobs.map((j) => [j.state, j.stage]),
      'report jobs',
    ).to.deep.equal(Array(N).fill(['DONE', 'DONE']));
    const mints = await rig.knex('mint_jobs').whereIn('inspection_id', ids);
    expect(
      mints.map((m) => m.state),
      'mint jobs',
    ).to.deep.equal(Array(N).fill('CONFIRMED'));
    // The jobs the dead worker held were delivered again (after their expiry) and finished by the second.
    const secondFinished = second
      .lines()
      .filter((l) => l.message === 'report job finished')
      .map((l) => l.pdfJobId);
    for (const h of held) {
      expect(secondFinished, `held job ${h.id} finished by the new worker`).to.include(h.id);
      expect(jobs.find((j) => j.id === h.id)?.attempts, `held job ${h.id}: one attempt each`).to.equal(2);
    }
    const bossJobs = await rig
      .knex('pgboss.job')
      .whereIn('name', [REPORT_QUEUE, MINT_QUEUE])
      .whereRaw("coalesce(data->>'pdfJobId', data->>'mintJobId') = any(?)", [
        [...jobs.map((j) => j.id), ...mints.map((m) => m.id)],
      ]);
    expect(
      bossJobs.filter((b) => b.state === 'failed'),
      'no pg-boss job failed for good',
    ).to.deep.equal([]);
    for (const h of held) {
      const b = bossJobs.find((x) => x.name === REPORT_QUEUE && x.data.pdfJobId === h.id);
      expect(b, `pg-boss job of held ${h.id}: expired, retried, completed`).to.include({
        state: 'completed',
        retry_count: 1,
      });
    }

    // Exactly N assets, each minted by its job's transaction only.
    const ipfs = new EmbeddedIpfs({ dir: path.join(rig.dir, 'ipfs') });
    const figures = await verifyArchived({
      knex: rig.knex,
      storage: rig.t.container.get(ObjectStorage),
      ipfs,
      chain,
      walletAddress: cluster.walletAddress,
      ids,
    });
    drillSummary('worker-killed', {
      inspections: N,
      photosEach: PHOTOS,
      atKill: Object.entries(atKill)
        .map(([k, v]) => `${k}:${v}`)
        .join('/'),
      heldByDeadWorker: held.length,
      heldStages: held.map((h) => h.stage).join(','),
      mintsAtKill: mintsAtKill.length,
      finishedByFirst: first.count('report job finished'),
      finishedBySecond: secondFinished.length,
      archived: figures.archived,
      assets: figures.assets,
      reportAttempts: jobs.reduce((s, j) => s + j.attempts, 0),
      mintAttempts: mints.reduce((s, m) => s + m.attempts, 0),
      killToAllArchived: seconds(done - killedAt),
      wall: seconds(done - t0),
    });
  });

  it('a report job delivered again after it finished (a kill between its commit and the pg-boss ack) stays DONE', async function () {
    if (!second) this.skip();
    const { rig } = cluster;
    const job = await rig.knex('pdf_jobs').where({ state: 'DONE' }).orderBy('finished_at').first();
    const finishedBefore = (second?.lines() ?? []).filter(
      (l) => l.message === 'report job finished' && l.pdfJobId === job.id,
    ).length;
    // What pg-boss does when the worker died after the RECORD commit but before completing the job.
    await rig.bus.send(REPORT_QUEUE, { pdfJobId: job.id, inspectionId: job.inspection_id }, { priority: 0 });
    await until(
      () =>
        (second?.lines() ?? []).filter((l) => l.message === 'report job finished' && l.pdfJobId === job.id).length >
        finishedBefore,
      30_000,
      'the second delivery to be handled',
    );
    const after = await rig.knex('pdf_jobs').where({ id: job.id }).first();
    expect(after, 'the finished job is left as it was').to.include({ state: 'DONE', stage: 'DONE' });
    expect((await rig.knex('inspections').where({ id: job.inspection_id }).first()).status).to.equal('ARCHIVED');
    expect(await rig.knex('inspection_reports').where({ inspection_id: job.inspection_id })).to.have.length(2);
  });
});
