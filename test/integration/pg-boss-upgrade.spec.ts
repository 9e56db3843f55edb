import { expect } from 'chai';
import type { JobWithMetadata } from 'pg-boss';
import PgBossV10 from 'pg-boss-v10';
import pg from 'pg';
import { dropDatabase, ensureDatabase } from '../../src/adapters/postgres/database.js';
import { MINT_QUEUE, PgBossBus, REPORT_QUEUE } from '../../src/adapters/queue/pg-boss-bus.js';

/**
 * The pg-boss 10 -> 12 upgrade on a database that holds jobs: pg-boss 10 (the version every deployment ran
 * before) creates its schema, the two queues and jobs in each state a deployment can be in when it is
 * upgraded (waiting, waiting for a retry, running, finished); then the application's bus, on pg-boss 12,
 * starts on the same database. pg-boss 12 has no migration from pg-boss 10's schema (see pg-boss-v10-upgrade.ts):
 * the bus must carry every waiting job over, keep the attempt count of a job that already failed or was
 * running, and hand them all to a worker exactly once.
 */
describe('pg-boss upgrade: jobs queued by pg-boss 10 survive the migration to 12', function () {
  this.timeout(120_000);
  // The run's database server (root hooks set TEST_DATABASE_URL before the suites run), a database of its own.
  let adminUrl = '';
  let database = '';
  let url = '';
  const queues = [
    { name: REPORT_QUEUE, retryLimit: 3, retryDelaySeconds: 1, expireInSeconds: 60 },
    { name: MINT_QUEUE, retryLimit: 5, retryDelaySeconds: 1, expireInSeconds: 60 },
  ];
  const ids: Record<string, string> = {};
  let bus: PgBossBus | undefined;

  const query = async <T>(sql: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const schemaVersion = async () =>
    Number((await query<{ version: number }>('SELECT version FROM pgboss.version'))[0]?.version);

  before(async () => {
    adminUrl = process.env.TEST_DATABASE_URL as string;
    database = `${new URL(adminUrl).pathname.slice(1)}_pgboss_upgrade`;
    url = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
    await dropDatabase(adminUrl, database);
    await ensureDatabase(adminUrl, database);
    const old = new PgBossV10({ connectionString: url, schema: 'pgboss', max: 2, supervise: false, schedule: false });
    old.on('error', () => undefined);
    await old.start();
    for (const q of queues)
      await old.createQueue(q.name, {
        name: q.name,
        retryLimit: q.retryLimit,
        retryDelay: q.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: q.expireInSeconds,
      });
    ids.bulk = (await old.send(REPORT_QUEUE, { pdfJobId: 'bulk' }, { priority: 0 })) as string;
    ids.single = (await old.send(REPORT_QUEUE, { pdfJobId: 'single' }, { priority: 10 })) as string;
    ids.mint = (await old.send(MINT_QUEUE, { mintJobId: 'mint-1', inspectionId: 'i-1' })) as string;
    ids.retried = (await old.send(MINT_QUEUE, { mintJobId: 'mint-2', inspectionId: 'i-2' })) as string;
    ids.done = (await old.send(REPORT_QUEUE, { pdfJobId: 'done' }, { priority: 10 })) as string;
    // One mint attempt failed before the upgrade (state retry, retryCount 1); one report job finished.
    const fetched = await old.fetch<{ mintJobId: string }>(MINT_QUEUE, { batchSize: 2 });
    const retried = fetched.find((j) => j.id === ids.retried);
    expect(retried, 'pg-boss 10 handed out the mint job').to.not.equal(undefined);
    await old.fail(MINT_QUEUE, ids.retried, { message: 'UTXO busy' });
    for (const j of fetched) if (j.id !== ids.retried) await old.fail(MINT_QUEUE, j.id, { message: 'timeout' });
    // A mint attempt still running when the old processes were stopped.
    ids.running = (await old.send(MINT_QUEUE, { mintJobId: 'mint-3', inspectionId: 'i-3' })) as string;
    expect((await old.fetch(MINT_QUEUE)).map((j) => j.id)).to.deep.equal([ids.running]);
    // Take every report job out, complete `done`, and put the others back to created (as if never fetched).
    const reports = await old.fetch(REPORT_QUEUE, { batchSize: 3 });
    expect(reports).to.have.length(3);
    await old.complete(REPORT_QUEUE, ids.done);
    await query(`UPDATE pgboss.job SET state = 'created', started_on = NULL WHERE id = ANY($1::uuid[])`, [
      [ids.bulk, ids.single],
    ]);
    // Retries wait retryDelay with backoff; let them be due at once after the upgrade.
    await query(`UPDATE pgboss.job SET start_after = now() - interval '1 second' WHERE state = 'retry'`);
    await old.stop({ graceful: false, wait: true });
  });

  after(async () => {
    await bus?.stop().catch(() => undefined);
    await dropDatabase(adminUrl, database);
  });

  it('sets the pg-boss 10 schema aside, installs pg-boss 12 and carries every waiting job over with its state', async () => {
    const before = await schemaVersion();
    expect(before, 'pg-boss 10 schema').to.equal(24);
    const states = await query<{ id: string; state: string }>('SELECT id, state FROM pgboss.job ORDER BY id');
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).to.deep.equal({
      [ids.bulk as string]: 'created',
      [ids.single as string]: 'created',
      [ids.mint as string]: 'retry',
      [ids.retried as string]: 'retry',
      [ids.done as string]: 'completed',
      [ids.running as string]: 'active',
    });

    const lines: string[] = [];
    bus = new PgBossBus(url, { info: (m) => lines.push(m), error: () => undefined });
    await bus.start(queues);
    expect(await schemaVersion(), 'pg-boss 12 installed its own schema').to.be.greaterThan(24);
    const schemas = (
      await query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgboss%' ORDER BY 1`)
    ).map((r) => r.nspname);
    expect(schemas).to.deep.equal(['pgboss', 'pgboss_v10_done']);
    expect(lines).to.include('job queue: waiting pg-boss 10 jobs carried over to pg-boss 12');

    const after = await query<{
      id: string;
      name: string;
      state: string;
      priority: number;
      retry_count: number;
      retry_limit: number;
    }>('SELECT id, name, state, priority, retry_count, retry_limit FROM pgboss.job ORDER BY id');
    const byId = Object.fromEntries(after.map((r) => [r.id, r]));
    expect(
      Object.keys(byId).sort(),
      'the four waiting jobs, by their ids; the finished one stays in the old schema',
    ).to.deep.equal([ids.bulk, ids.single, ids.mint, ids.retried, ids.running].sort());
    expect(byId[ids.single as string]).to.include({
      name: REPORT_QUEUE,
      state: 'created',
      priority: 10,
      retry_count: 0,
      retry_limit: 3,
    });
    expect(byId[ids.bulk as string]).to.include({
      name: REPORT_QUEUE,
      state: 'created',
      priority: 0,
      retry_count: 0,
      retry_limit: 3,
    });
    expect(byId[ids.retried as string]).to.include({
      name: MINT_QUEUE,
      state: 'retry',
      retry_count: 0,
      retry_limit: 5,
    });
    expect(byId[ids.mint as string]).to.include({ name: MINT_QUEUE, state: 'retry', retry_count: 0, retry_limit: 5 });
    expect(byId[ids.running as string], 'the interrupted attempt is handed out again').to.include({
      name: MINT_QUEUE,
      state: 'retry',
      retry_count: 0,
    });
  });

  it('a second process starting afterwards finds nothing left to carry over (no duplicate jobs)', async () => {
    const second = new PgBossBus(url, { info: () => undefined, error: () => undefined });
    await second.start(queues);
    await second.stop();
    const n = await query<{ n: number }>('SELECT count(*)::int AS n FROM pgboss.job');
    expect(n[0]?.n).to.equal(5);
  });

  it('hands the carried-over jobs to pg-boss 12 workers: reports by priority, the retried mint with its attempt count', async () => {
    const boss = (bus as PgBossBus).boss;
    const reports: string[] = [];
    const mints: Array<{ mintJobId: string; retryCount: number; retryLimit: number }> = [];
    const reportWorker = await boss.work(
      REPORT_QUEUE,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5, priority: true },
      async (jobs: JobWithMetadata<{ pdfJobId: string }>[]) => {
        for (const j of jobs) reports.push(j.data.pdfJobId);
      },
    );
    const mintWorker = await boss.work(
      MINT_QUEUE,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5 },
      async (jobs: JobWithMetadata<{ mintJobId: string }>[]) => {
        for (const j of jobs)
          mints.push({ mintJobId: j.data.mintJobId, retryCount: j.retryCount, retryLimit: j.retryLimit });
      },
    );
    const deadline = Date.now() + 30_000;
    while ((reports.length < 2 || mints.length < 3) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await boss.offWork(REPORT_QUEUE, { id: reportWorker });
    await boss.offWork(MINT_QUEUE, { id: mintWorker });

    expect(reports, 'the single approval first, then the bulk one; the finished job is not run again').to.deep.equal([
      'single',
      'bulk',
    ]);
    expect(mints.sort((a, b) => a.mintJobId.localeCompare(b.mintJobId))).to.deep.equal([
      { mintJobId: 'mint-1', retryCount: 1, retryLimit: 5 },
      { mintJobId: 'mint-2', retryCount: 1, retryLimit: 5 },
      { mintJobId: 'mint-3', retryCount: 1, retryLimit: 5 },
    ]);
    const left = await query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE state <> 'completed'`);
    expect(left[0]?.n, 'every job completed').to.equal(0);
  });
});
