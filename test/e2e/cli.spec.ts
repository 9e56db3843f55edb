import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '../../migrations/index.js';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { testKnex, truncateAll } from '../support/db.js';
import { spawnEntry } from './process.js';

const env = () => ({
  DATABASE_URL: process.env.TEST_DATABASE_URL,
  JWT_SECRET: 'cli-test-secret-cli-test-secret-0123456789',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
});

async function cli(
  args: string[],
  stdin?: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const p = spawnEntry('src/main/cli.ts', args, { ...env(), ...extraEnv }, stdin);
  const code = await p.exited;
  return { code, out: p.output() };
}

describe('e2e: operator CLI', function () {
  // Each command is a process of its own (tsx, container, database check): about 5 s, more on a busy machine.
  this.timeout(120_000);
  let knex: Knex;
  before(async () => {
    knex = testKnex();
    await truncateAll(knex);
  });
  after(() => knex.destroy());

  it('creates the first SUPERADMIN with a generated password shown once, then a branch and an inspector with a PIN', async () => {
    const sa = await cli(['create-superadmin', '--email', 'Ops@Example.com', '--name', 'Ops Lead']);
    expect(sa.code, sa.out).to.equal(0);
    expect(sa.out).to.match(/created SUPERADMIN ops@example\.com/);
    expect(sa.out).to.match(/password \(shown once\): \S{20,}/);
    const row = await knex('users').where({ email: 'ops@example.com' }).first();
    expect(row).to.include({ role: 'SUPERADMIN', is_active: true });
    expect(row.password_hash).to.match(/^\$argon2id\$/);

    const br = await cli(['create-branch', '--code', 'mdn', '--name', 'Medan']);
    expect(br.out).to.contain('created branch MDN Medan');
    const insp = await cli([
      'create-user',
      '--role',
      'inspector',
      '--email',
      'ina@example.com',
      '--name',
      'Ina',
      '--branch',
      'MDN',
    ]);
    expect(insp.code, insp.out).to.equal(0);
    expect(insp.out).to.match(/PIN \(shown once\): [0-9]{6}/);
    const audit = await knex('audit_logs').where({ action: 'USER_CREATED' }).select('metadata');
    expect(audit.map((a: { metadata: { role: string } }) => a.metadata.role).sort()).to.deep.equal([
      'INSPECTOR',
      'SUPERADMIN',
    ]);
  });

  it('reads a password from stdin with --password-stdin and reports domain errors with their code', async () => {
    const r = await cli(
      ['create-user', '--role', 'ADMIN', '--email', 'adm@example.com', '--name', 'Adm', '--password-stdin'],
      'stdin-given-password\n',
    );
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.not.contain('stdin-given-password');
    const dup = await cli(['create-user', '--role', 'ADMIN', '--email', 'adm@example.com', '--name', 'Adm']);
    expect(dup.code).to.equal(1);
    expect(dup.out).to.contain('USER.EMAIL_TAKEN');
    const weak = await cli(
      ['create-superadmin', '--email', 'w@example.com', '--name', 'W', '--password-stdin'],
      'short\n',
    );
    expect(weak.out).to.contain('VALIDATION.FAILED');
  });

  it('answers usage errors with exit code 64, and bad configuration with the list of problems', async () => {
    const r = await cli(['create-user', '--email', 'x@example.com', '--name', 'X']);
    expect(r.code).to.equal(64);
    expect(r.out).to.contain('--role is required');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).to.equal(64);
    const bad = await cli(['migrate:status'], undefined, { PORT: 'not-a-port', LOG_LEVEL: 'shouty' });
    expect(bad.code, 'EX_CONFIG').to.equal(78);
    expect(bad.out).to.contain('PORT').and.to.contain('LOG_LEVEL');
    const status = await cli(['migrate:status']);
    expect(status.out).to.match(new RegExp(`applied: ${migrations.map(([n]) => n).join(', ')}\npending: -`));
  });

  it('lists, shows and re-runs report jobs (one, or every failed one) for operators', async () => {
    const inspector = await knex('users').where({ role: 'INSPECTOR' }).first();
    const inspectionId = randomUUID();
    await knex('inspections').insert({
      id: inspectionId,
      pretty_id: 'MDN-01012026-001',
      inspector_id: inspector.id,
      branch_city_id: inspector.branch_city_id,
      plate_number: 'B 1 A',
      inspection_date: '2026-01-01',
      created_at: new Date(),
      updated_at: new Date(),
    });
    const jobId = randomUUID();
    await knex('pdf_jobs').insert({
      id: jobId,
      inspection_id: inspectionId,
      priority: 'single',
      state: 'FAILED',
      stage: 'STORE',
      attempts: 4,
      last_error: 'down',
      last_error_code: 'STORAGE.UNAVAILABLE',
      created_at: new Date(),
      updated_at: new Date(),
    });
    const list = await cli(['jobs:list', '--state', 'failed']);
    expect(list.code, list.out).to.equal(0);
    expect(list.out).to.contain(jobId).and.to.contain('STORAGE.UNAVAILABLE').and.to.contain('1 of 1 jobs');
    const show = await cli(['jobs:show', jobId]);
    expect(JSON.parse(show.out.slice(show.out.indexOf('{')))).to.include({
      id: jobId,
      stage: 'STORE',
      lastError: 'down',
    });
    const stats = await cli(['jobs:stats']);
    expect(JSON.parse(stats.out.slice(stats.out.indexOf('{'))).failedByCode).to.deep.equal({
      'STORAGE.UNAVAILABLE': 1,
    });
    const all = await cli(['jobs:rerun', '--all-failed']);
    expect(all.code, all.out).to.equal(0);
    expect(all.out).to.contain('queued again: 1').and.to.contain(jobId);
    expect((await knex('pdf_jobs').where({ id: jobId }).first()).state).to.equal('QUEUED');
    const queued = await knex.raw(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'report-render' AND data->>'pdfJobId' = ?`,
      [jobId],
    );
    expect(queued.rows[0].n, 'sent to the workers again').to.equal(1);
    expect((await knex('audit_logs').where({ action: 'REPORT_JOB_RERUN', entity_id: jobId })).length).to.equal(1);
    const missing = await cli(['jobs:show', randomUUID()]);
    expect(missing.code).to.equal(64);
  });
  it('lists mint jobs, shows mint figures and archives a failed inspection again (its new job sent to the workers)', async () => {
    const inspector = await knex('users').where({ role: 'INSPECTOR' }).first();
    const inspectionId = randomUUID();
    const now = new Date();
    await knex('inspections').insert({
      id: inspectionId,
      pretty_id: 'MDN-01012026-009',
      status: 'FAIL_ARCHIVE',
      inspector_id: inspector.id,
      branch_city_id: inspector.branch_city_id,
      plate_number: 'B 2 A',
      inspection_date: '2026-01-01',
      created_at: now,
      updated_at: now,
    });
    for (const variant of ['full', 'no-docs']) {
      await knex('inspection_reports').insert({
        inspection_id: inspectionId,
        variant,
        storage_driver: 'fs',
        storage_key: `k/${variant}`,
        sha256: 'a'.repeat(64),
        size_bytes: 1,
        page_count: 1,
        html_sha256: 'b'.repeat(64),
        ipfs_cid: 'bafybeiavpyoigyawld23iawux3ittzdgcyf56k672kgqkx72uy64mokrve',
        created_at: now,
      });
    }
    const jobId = randomUUID();
    await knex('mint_jobs').insert({
      id: jobId,
      inspection_id: inspectionId,
      state: 'FAILED',
      attempts: 6,
      policy_id: 'ab'.repeat(28),
      asset_name: 'cd'.repeat(16),
      last_error: 'provider down',
      last_error_code: 'CHAIN.UNAVAILABLE',
      created_at: now,
      updated_at: now,
      finished_at: now,
    });
    const list = await cli(['mint:list', '--state', 'failed']);
    expect(list.code, list.out).to.equal(0);
    expect(list.out).to.contain(jobId).and.to.contain('CHAIN.UNAVAILABLE').and.to.contain('1 of 1 mint jobs');
    const stats = await cli(['mint:stats']);
    expect(JSON.parse(stats.out.slice(stats.out.indexOf('{')))).to.deep.include({
      byState: { FAILED: 1 },
      failedByCode: { 'CHAIN.UNAVAILABLE': 1 },
    });
    const rerun = await cli(['mint:rerun', '--all-failed']);
    expect(rerun.code, rerun.out).to.equal(0);
    expect(rerun.out).to.contain('archiving again: 1').and.to.contain(inspectionId);
    expect((await knex('inspections').where({ id: inspectionId }).first()).status).to.equal('ARCHIVING');
    const fresh = await knex('mint_jobs').where({ inspection_id: inspectionId, state: 'QUEUED' });
    expect(fresh).to.have.length(1);
    const queued = await knex.raw(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mint' AND data->>'mintJobId' = ?`,
      [fresh[0].id],
    );
    expect(queued.rows[0].n, 'sent to the workers').to.equal(1);
    expect((await cli(['mint:rerun'])).code).to.equal(64);
  });

  it('ipfs:withdraw-private: a dry run changes nothing; the run unpins the full-variant CIDs, forgets them, writes the report file and lists the NFTs naming one', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-withdraw-'));
    try {
      const node = new EmbeddedIpfs({ dir: path.join(dataDir, 'ipfs') });
      const inspector = await knex('users').where({ role: 'INSPECTOR' }).first();
      const inspectionId = randomUUID();
      const now = new Date();
      await knex('inspections').insert({
        id: inspectionId,
        pretty_id: 'MDN-01012026-020',
        status: 'ARCHIVED',
        inspector_id: inspector.id,
        branch_city_id: inspector.branch_city_id,
        plate_number: 'B 3 A',
        inspection_date: '2026-01-01',
        created_at: now,
        updated_at: now,
      });
      const cids: Record<string, string> = {};
      for (const variant of ['full', 'no-docs']) {
        cids[variant] = (await node.add(Buffer.from(`%PDF-1.7 ${variant} ${inspectionId}`))).cid;
        await knex('inspection_reports').insert({
          inspection_id: inspectionId,
          variant,
          storage_driver: 'fs',
          storage_key: `k/${variant}`,
          sha256: 'a'.repeat(64),
          size_bytes: 1,
          page_count: 1,
          html_sha256: 'b'.repeat(64),
          ipfs_cid: cids[variant],
          created_at: now,
        });
      }
      await knex('mint_jobs').insert({
        id: randomUUID(),
        inspection_id: inspectionId,
        state: 'CONFIRMED',
        attempts: 1,
        policy_id: 'ab'.repeat(28),
        asset_name: 'ef'.repeat(16),
        asset_id: `${'ab'.repeat(28)}${'ef'.repeat(16)}`,
        tx_hash: 'f'.repeat(64),
        metadata: JSON.stringify({ pdf: [{ variant: 'full', alg: 'sha256', hash: 'a'.repeat(64), cid: cids.full }] }),
        created_at: now,
        updated_at: now,
        finished_at: now,
      });
      const report = path.join(dataDir, 'withdrawal.jsonl');
      // Earlier tests left full-variant rows with a CID too (not pinned on this node: their unpin is a no-op).
      const n = Number(
        (await knex('inspection_reports').where({ variant: 'full' }).whereNotNull('ipfs_cid').count({ n: '*' }))[0]?.n,
      );
      const env = { DATA_DIR: dataDir, IPFS_DRIVER: 'embedded' };

      const dry = await cli(['ipfs:withdraw-private', '--dry-run', '--report-file', report], undefined, env);
      expect(dry.code, dry.out).to.equal(0);
      expect(dry.out).to.contain(`dry run: ${n} private report CIDs`).and.to.contain(`${n} to withdraw`);
      expect(dry.out)
        .to.contain(`NFTs whose on-chain metadata names a private CID (permanent; for the operator): 1`)
        .and.to.contain(`full ${cids.full}`);
      expect(await node.isPinned(cids.full as string)).to.equal(true);

      const run = await cli(['ipfs:withdraw-private', '--report-file', report], undefined, env);
      expect(run.code, run.out).to.equal(0);
      expect(run.out).to.contain(`${n} private report CIDs: ${n} unpinned and forgotten`);
      expect(await node.isPinned(cids.full as string)).to.equal(false);
      expect(await node.isPinned(cids['no-docs'] as string), 'the public report stays').to.equal(true);
      expect(
        (await knex('inspection_reports').where({ inspection_id: inspectionId, variant: 'full' }).first()).ipfs_cid,
      ).to.equal(null);
      const lines = (await readFile(report, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const cidLines = (dryRun: boolean, outcome: string) =>
        Array.from({ length: n }, () => `cid:${dryRun}:${outcome}`);
      expect(lines.map((l) => `${l.kind}:${l.dryRun}:${l.outcome ?? ''}`)).to.deep.equal([
        ...cidLines(true, 'would-unpin'),
        'nft:true:',
        'summary:true:',
        ...cidLines(false, 'unpinned'),
        'nft:false:',
        'summary:false:',
      ]);
      expect(lines.find((l) => l.kind === 'cid' && l.inspectionId === inspectionId)).to.include({
        cid: cids.full,
        wasPinned: true,
      });
      // Resumable: nothing is left to withdraw; the NFT is still listed (its metadata cannot change).
      const again = await cli(['ipfs:withdraw-private', '--report-file', report], undefined, env);
      expect(again.out).to.contain('0 private report CIDs').and.to.contain('(permanent; for the operator): 1');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
