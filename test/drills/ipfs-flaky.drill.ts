/**
 * Drill 3, IPFS failing 30% of its calls: the Ipfs port is rebound to the real embedded node behind a
 * wrapper whose n-th call fails iff the n-th draw of a seeded PRNG is below 0.3. Each failed add fails that
 * job's attempt at its IPFS stage (the adds run one after the other, so one failure per failed attempt) and
 * pg-boss retries it; the retry resumes after the CIDs already recorded. So, exactly:
 *   injected failures = sum(pdf_jobs.attempts) - N = retried attempts on /metrics = IPFS.UNAVAILABLE errors,
 *   and the adds made = 2N + injected failures.
 */
import { expect } from 'chai';
import path from 'node:path';
import { ContainerModule } from 'inversify';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { Chain } from '../../src/ports/chain.js';
import { Ipfs } from '../../src/ports/ipfs.js';
import { NftMinter } from '../../src/ports/nft-minter.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { FlakyIpfs } from './support/faults.js';
import { counter, startRig, waitArchived, type Rig } from './support/harness.js';
import { drillSummary, seconds, sized } from './support/size.js';
import { verifyArchived } from './support/verify.js';

const N = sized(4, 20);
const PHOTOS = sized(2, 6);
const FAILURE_RATE = 0.3;
const SEED = 20261124;

describe(`drill: IPFS failing ${FAILURE_RATE * 100}% of calls, ${N} inspections`, function () {
  this.timeout(sized(150_000, 900_000));
  let rig: Rig;
  let flaky: FlakyIpfs;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    const overrides = (dir: string) => [
      new ContainerModule(({ rebind }) => {
        rebind<Ipfs>(Ipfs)
          .toDynamicValue(() => {
            flaky = new FlakyIpfs(new EmbeddedIpfs({ dir: path.join(dir, 'ipfs'), cidVersion: 1 }), FAILURE_RATE, SEED);
            return flaky;
          })
          .inSingletonScope();
      }),
    ];
    // Enough retries that a job unlucky several times in a row still finishes.
    rig = await startRig({ env: { REPORT_JOB_RETRY_LIMIT: '20' }, overrides });
  });
  after(async () => {
    await rig?.stop();
  });

  it('every job completes; each injected failure costs exactly one retried attempt', async () => {
    const made = await rig.createInspections(N, PHOTOS);
    const ids = made.map((m) => m.id);
    const t0 = Date.now();
    await rig.bulkApprove(ids);
    await waitArchived(rig.knex, ids, sized(140_000, 850_000));
    const wall = Date.now() - t0;
    flaky.enabled = false;

    const jobs = await rig.knex('pdf_jobs').whereIn('inspection_id', ids);
    const attempts = jobs.reduce((s, j) => s + j.attempts, 0);
    expect(jobs.every((j) => j.state === 'DONE')).to.equal(true);
    expect(flaky.failures, 'the seed injects failures into this batch').to.be.greaterThan(0);
    expect(jobs.filter((j) => j.attempts > 1).length, 'some jobs needed retries').to.be.greaterThan(0);
    expect(flaky.failures, 'injected failures = sum(attempts) - N').to.equal(attempts - N);
    expect(
      flaky.byMethod.add,
      'only adds are made by the pipeline, one per inspection (the public report)',
    ).to.deep.equal({ calls: N + flaky.failures, failures: flaky.failures });
    expect(Object.keys(flaky.byMethod)).to.deep.equal(['add']);
    const outcomes = await counter(rig.t, 'car_dano_job_attempts_total');
    expect(outcomes.get('queue=report-render,outcome=retry')).to.equal(flaky.failures);
    expect(outcomes.get('queue=report-render,outcome=done')).to.equal(N);
    const errors = await counter(rig.t, 'car_dano_job_errors_total');
    expect([...errors].filter(([k]) => k.startsWith('queue=report-render,'))).to.deep.equal([
      ['queue=report-render,code=IPFS.UNAVAILABLE', flaky.failures],
    ]);
    // Renders were not repeated by the IPFS retries.
    expect(rig.renders.records.length).to.equal(2 * N);

    const c = rig.t.container;
    const figures = await verifyArchived({
      knex: rig.knex,
      storage: c.get(ObjectStorage),
      ipfs: flaky,
      chain: c.get(Chain),
      walletAddress: c.get<NftMinter>(NftMinter).walletAddress,
      ids,
    });
    const histogram = new Map<number, number>();
    for (const j of jobs) histogram.set(j.attempts, (histogram.get(j.attempts) ?? 0) + 1);
    drillSummary('ipfs-flaky', {
      inspections: N,
      archived: figures.archived,
      cids: figures.cids,
      ipfsAdds: flaky.byMethod.add?.calls ?? 0,
      injectedFailures: flaky.failures,
      reportAttempts: attempts,
      attemptsHistogram: [...histogram]
        .sort((a, b) => a[0] - b[0])
        .map(([k, v]) => `${k}x${v}`)
        .join(','),
      approveToAllArchived: seconds(wall),
    });
  });
});
