import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { PgBossBus, REPORT_QUEUE } from '../../src/adapters/queue/pg-boss-bus.js';
import { testKnex, truncateAll } from '../support/db.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { newUser } from '../contract/user-repository.contract.js';

describe("pg-boss: report jobs sent in the caller's transaction", function () {
  this.timeout(60_000);
  let knex: Knex;
  let bus: PgBossBus;
  let inspectionId: string;

  before(async () => {
    knex = testKnex();
    await truncateAll(knex);
    bus = new PgBossBus(process.env.TEST_DATABASE_URL as string, { info: () => undefined, error: () => undefined });
    await bus.start([{ name: REPORT_QUEUE, retryLimit: 1, retryDelaySeconds: 1, expireInSeconds: 60 }]);
    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }));
    const branch = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, new Date());
    const inspector = await p.users.create(
      newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
      new Date(),
    );
    inspectionId = (
      await p.inspections.create(newInspection({ inspectorId: inspector.id, branchCityId: branch.id }), new Date())
    ).id;
  });
  after(async () => {
    await bus.stop();
    await knex.destroy();
  });

  const queued = async (pdfJobId: string) =>
    (
      await knex.raw(`SELECT priority, data FROM pgboss.job WHERE name = ? AND data->>'pdfJobId' = ?`, [
        REPORT_QUEUE,
        pdfJobId,
      ])
    ).rows as Array<{ priority: number }>;

  it('commits the job with the row, with the priority of single approvals above bulk ones', async () => {
    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }), bus);
    const single = await p.uow.run((tx) => tx.reportJobs.enqueue(inspectionId, 'single', new Date()));
    const bulk = await p.uow.run((tx) => tx.reportJobs.enqueue(inspectionId, 'bulk', new Date()));
    expect((await queued(single)).map((j) => j.priority)).to.deep.equal([10]);
    expect((await queued(bulk)).map((j) => j.priority)).to.deep.equal([0]);
  });

  it('a rolled-back transaction leaves neither the row nor the job', async () => {
    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }), bus);
    let id = '';
    await p.uow
      .run(async (tx) => {
        id = await tx.reportJobs.enqueue(inspectionId, 'single', new Date());
        expect(await queued(id), 'not visible outside the transaction yet').to.deep.equal([]);
        throw new Error('approval failed later');
      })
      .catch(() => undefined);
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(await knex('pdf_jobs').where({ id })).to.deep.equal([]);
    expect(await queued(id)).to.deep.equal([]);
  });

  it('heartbeats: the queue keeps the configured interval (also when updated), and a job whose worker died is retried within it', async function () {
    this.timeout(60_000);
    const other = new PgBossBus(
      process.env.TEST_DATABASE_URL as string,
      { info: () => undefined, error: () => undefined },
      { monitorSeconds: 1 },
    );
    try {
      await other.start([
        { name: REPORT_QUEUE, retryLimit: 1, retryDelaySeconds: 1, expireInSeconds: 600, heartbeatSeconds: 12 },
      ]);
      expect(
        (await knex.raw(`SELECT heartbeat_seconds FROM pgboss.queue WHERE name = ?`, [REPORT_QUEUE])).rows,
      ).to.deep.equal([{ heartbeat_seconds: 12 }]);
      await other.boss.deleteQueuedJobs(REPORT_QUEUE);
      const id = await other.boss.send(REPORT_QUEUE, { pdfJobId: 'dead-worker' }, { priority: 0 });
      // Taken and then never heard from again: as if its worker was SIGKILLed.
      expect((await other.boss.fetch(REPORT_QUEUE)).map((j) => j.id)).to.deep.equal([id]);
      const t0 = Date.now();
      let state = 'active';
      while (state === 'active' && Date.now() - t0 < 40_000) {
        await new Promise((r) => setTimeout(r, 250));
        state = (await knex.raw(`SELECT state FROM pgboss.job WHERE id = ?`, [id])).rows[0].state;
      }
      // The loop gives up long before the 600 s expiry: only the lost heartbeat can have moved it.
      expect(state, 'failed for a lost heartbeat and waiting for its retry').to.equal('retry');
    } finally {
      await other.stop();
    }
  });
});
