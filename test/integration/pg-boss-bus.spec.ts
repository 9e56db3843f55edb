import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { PgBossBus, REPORT_QUEUE } from '../../src/adapters/queue/pg-boss-bus.js';
import { testKnex, truncateAll } from '../support/db.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { newUser } from '../contract/user-repository.contract.js';

describe('pg-boss: report jobs sent in the caller\'s transaction', function () {
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
    const inspector = await p.users.create(newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }), new Date());
    inspectionId = (await p.inspections.create(newInspection({ inspectorId: inspector.id, branchCityId: branch.id }), new Date())).id;
  });
  after(async () => {
    await bus.stop();
    await knex.destroy();
  });

  const queued = async (pdfJobId: string) => (await knex.raw(`SELECT priority, data FROM pgboss.job WHERE name = ? AND data->>'pdfJobId' = ?`, [REPORT_QUEUE, pdfJobId])).rows as Array<{ priority: number }>;

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
});
