import type { Container } from 'inversify';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PhotoStorageMigration, progressLine } from '../adapters/cli/photo-storage-migration.js';
import { WithdrawPrivateCids, withdrawProgressLine } from '../application/archive/withdraw-private-cids.js';
import { PUBLIC_VARIANT } from '../domain/inspection/report.js';
import { PhotoRepository } from '../ports/photo-repository.js';
import { ReportJobStore } from '../ports/report-jobs.js';
import {
  GetReportJobStats,
  ListReportJobs,
  RerunFailedReportJobs,
  RerunReportJob,
} from '../application/reports/report-jobs.js';
import { PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { reportQueues } from './worker.js';
import { mintQueues } from './mint-worker.js';
import { ArchiveInspection } from '../application/archive/archive-inspection.js';
import { GetMintJobStats, ListMintJobs, RerunFailedMints } from '../application/archive/mint-jobs.js';
import { createFsStorage, createS3Storage, createUrlSigner } from './storage-factory.js';
import { RegisterCustomer } from '../application/auth/register-customer.js';
import { CreateBranchCity } from '../application/branches/branch-cities.js';
import { CreateInspector } from '../application/users/create-inspector.js';
import { CreateStaffUser } from '../application/users/create-staff-user.js';
import { isDomainError } from '../domain/shared/domain-error.js';
import { createLogger } from '../adapters/observability/logger.js';
import { migrateLatest, migrateRollbackAll, migrationStatus } from '../adapters/postgres/migrator.js';
import { BranchCityRepository } from '../ports/branch-city-repository.js';
import { SecretGenerator } from '../ports/secrets.js';
import { UserRepository } from '../ports/user-repository.js';
import { ConfigError, loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { openDatabase } from './database-bootstrap.js';
import { withDevSecrets } from './dev-secrets.js';
import { seedDemo } from './seed-demo.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                         apply pending migrations
  migrate:status                  list applied and pending migrations
  migrate:rollback                roll back every migration (refused when APP_ENV=production)
  create-superadmin --email E --name N [--username U] [--password-stdin]
  create-user --role R --email E --name N [--username U] [--branch CODE] [--password-stdin]
                                  R: SUPERADMIN, ADMIN, REVIEWER, CUSTOMER (password) or INSPECTOR (PIN, needs --branch)
  create-branch --code YOG --name Yogyakarta
  seed-demo                       create the demo accounts (credentials in DATA_DIR/demo-credentials.json)
  jobs:list [--state S] [--stage S]   report jobs, newest first (state: QUEUED RUNNING DONE FAILED)
  jobs:show ID                    one report job with its last error and artifacts
  jobs:rerun ID | --all-failed    send a job (or every FAILED one) back to the workers; it resumes at its stage
  jobs:stats                      queue figures (per state and stage, oldest queued, failures per code)
  mint:list [--state S]           mint jobs, newest first (state: QUEUED SUBMITTED CONFIRMED FAILED)
  mint:stats                      mint queue figures (per state, oldest queued/submitted, failures per code)
  mint:rerun INSPECTION_ID | --all-failed
                                  archive again an inspection whose mint FAILED (or every one); the new job
                                  first looks on chain for what the failed one may have sent
  storage:migrate-photos [--dry-run] [--concurrency N] [--mapping-file PATH]
                                  copy photos recorded on the filesystem store to the S3 store (S3_* variables),
                                  verify each copy (size + SHA-256), then point its record at S3; resumable
  ipfs:withdraw-private [--dry-run] [--report-file PATH]
                                  unpin every full-variant report CID added to IPFS before only the public
                                  variant was, forget it in the database (audited), and list the minted NFTs
                                  whose metadata names one (they cannot change on chain); resumable

Passwords: with --password-stdin the first line of standard input is the password; otherwise a random
one is generated and printed once. Inspector PINs are always generated and printed once.
The database is DATABASE_URL, or the embedded PostgreSQL under DATA_DIR when it is unset.`;

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function passwordFrom(
  values: { 'password-stdin'?: boolean },
  container: Container,
): Promise<{ password: string; generated: boolean }> {
  if (values['password-stdin']) return { password: await readStdinLine(), generated: false };
  return { password: container.get<SecretGenerator>(SecretGenerator).password(), generated: true };
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 64;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      branch: { type: 'string' },
      code: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      concurrency: { type: 'string' },
      'mapping-file': { type: 'string' },
      'report-file': { type: 'string' },
      state: { type: 'string' },
      stage: { type: 'string' },
      'all-failed': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const config = loadConfig();
  const logger = createLogger(['info', 'http'].includes(config.logLevel) ? 'warn' : config.logLevel, process.stderr);
  const db = await openDatabase(config, logger, { migrate: !command.startsWith('migrate') });
  try {
    const container = buildContainer({ config: withDevSecrets(config, logger), logger, knex: db.knex });
    const need = (k: 'email' | 'name' | 'role' | 'code'): string => {
      const v = values[k];
      if (!v) throw new UsageError(`--${k} is required`);
      return v;
    };
    /** Re-running sends pg-boss jobs: the queue is opened on the same database for the command's duration. */
    const withQueues = async (
      work: (jobContainer: Container, operator: { userId: string; role: 'SUPERADMIN' }) => Promise<void>,
    ): Promise<void> => {
      const bus = new PgBossBus(db.url, logger);
      await bus.start([...reportQueues(config), ...mintQueues(config)]);
      try {
        await work(buildContainer({ config: withDevSecrets(config, logger), logger, knex: db.knex, bus }), {
          userId: await operatorId(container),
          role: 'SUPERADMIN',
        });
      } finally {
        await bus.stop();
      }
    };
    switch (command) {
      case 'migrate':
        console.log(`applied: ${(await migrateLatest(db.knex)).join(', ') || '(nothing pending)'}`);
        return 0;
      case 'migrate:status': {
        const s = await migrationStatus(db.knex);
        console.log(`applied: ${s.applied.join(', ') || '-'}\npending: ${s.pending.join(', ') || '-'}`);
        return 0;
      }
      case 'migrate:rollback':
        if (config.production)
          throw new UsageError(
            'migrate:rollback is refused under the production profile (APP_ENV=production or NODE_ENV=production)',
          );
        console.log(`rolled back: ${(await migrateRollbackAll(db.knex)).join(', ') || '(nothing)'}`);
        return 0;
      case 'create-superadmin':
      case 'create-user': {
        const role = command === 'create-superadmin' ? 'SUPERADMIN' : need('role').toUpperCase();
        const email = need('email');
        const name = need('name');
        if (role === 'INSPECTOR') {
          const code = values.branch?.toUpperCase();
          const branch = code ? await container.get<BranchCityRepository>(BranchCityRepository).findByCode(code) : null;
          if (!branch)
            throw new UsageError(
              '--branch must be the code of an existing branch city (create one with create-branch)',
            );
          const r = await container
            .get(CreateInspector)
            .execute(
              { userId: await operatorId(container), role: 'SUPERADMIN' },
              { email, name, username: values.username, branchCityId: branch.id },
            );
          console.log(`created INSPECTOR ${r.user.email} (${r.user.id}) in ${branch.code}\nPIN (shown once): ${r.pin}`);
          return 0;
        }
        const { password, generated } = await passwordFrom(values, container);
        const user =
          role === 'CUSTOMER'
            ? await container.get(RegisterCustomer).execute({ email, name, username: values.username, password })
            : await container.get(CreateStaffUser).execute(null, {
                email,
                name,
                username: values.username,
                password,
                role: role as 'SUPERADMIN' | 'ADMIN' | 'REVIEWER',
              });
        console.log(`created ${user.role} ${user.email} (${user.id})`);
        if (generated) console.log(`password (shown once): ${password}`);
        return 0;
      }
      case 'create-branch': {
        const b = await container.get(CreateBranchCity).execute(null, { code: need('code'), name: need('name') });
        console.log(`created branch ${b.code} ${b.name} (${b.id})`);
        return 0;
      }
      case 'seed-demo': {
        console.log(`demo credentials: ${await seedDemo(container, config.dataDir, logger)}`);
        return 0;
      }
      case 'jobs:list': {
        const page = await container.get(ListReportJobs).execute(
          {
            state: values.state ? [values.state.toUpperCase() as 'FAILED'] : undefined,
            stage: values.stage ? [values.stage.toUpperCase() as 'RENDER'] : undefined,
          },
          { page: 1, pageSize: 100 },
        );
        for (const j of page.items)
          console.log(
            [
              j.id,
              j.state.padEnd(7),
              j.stage.padEnd(6),
              `attempts ${j.attempts}`,
              j.priority,
              j.createdAt.toISOString(),
              j.lastErrorCode ?? '',
            ].join('  '),
          );
        console.log(`${page.items.length} of ${page.total} jobs`);
        return 0;
      }
      case 'jobs:show': {
        const id = positionals[0];
        if (!id) throw new UsageError('jobs:show needs a job id');
        const job = await container.get<ReportJobStore>(ReportJobStore).find(id);
        if (!job) throw new UsageError(`no report job ${id}`);
        console.log(JSON.stringify(job, null, 2));
        return 0;
      }
      case 'jobs:stats':
        console.log(JSON.stringify(await container.get(GetReportJobStats).execute(), null, 2));
        return 0;
      case 'jobs:rerun':
        await withQueues(async (jobContainer, operator) => {
          if (values['all-failed']) {
            const ids = await jobContainer.get(RerunFailedReportJobs).execute(operator);
            console.log(`queued again: ${ids.length}${ids.length ? `\n${ids.join('\n')}` : ''}`);
          } else {
            const id = positionals[0];
            if (!id) throw new UsageError('jobs:rerun needs a job id or --all-failed');
            const job = await jobContainer.get(RerunReportJob).execute(operator, id);
            console.log(`queued again: ${job.id} (resumes at ${job.stage})`);
          }
        });
        return 0;
      case 'mint:list': {
        const page = await container
          .get(ListMintJobs)
          .execute(
            { state: values.state ? [values.state.toUpperCase() as 'FAILED'] : undefined },
            { page: 1, pageSize: 100 },
          );
        for (const j of page.items)
          console.log(
            [
              j.id,
              j.inspectionId,
              j.state.padEnd(9),
              `attempts ${j.attempts}`,
              j.txHash ?? j.pendingTxHash ?? '-',
              j.createdAt.toISOString(),
              j.lastErrorCode ?? '',
            ].join('  '),
          );
        console.log(`${page.items.length} of ${page.total} mint jobs`);
        return 0;
      }
      case 'mint:stats':
        console.log(JSON.stringify(await container.get(GetMintJobStats).execute(), null, 2));
        return 0;
      case 'mint:rerun':
        await withQueues(async (jobContainer, operator) => {
          if (values['all-failed']) {
            const r = await jobContainer.get(RerunFailedMints).execute(operator);
            console.log(
              `archiving again: ${r.requeued.length}${r.requeued.map((j) => `\n${j.inspectionId} -> job ${j.id}`).join('')}`,
            );
            for (const s of r.skipped) console.log(`skipped ${s.inspectionId}: ${s.code}`);
          } else {
            const id = positionals[0];
            if (!id) throw new UsageError('mint:rerun needs an inspection id or --all-failed');
            const job = await jobContainer.get(ArchiveInspection).execute(operator, id);
            console.log(`archiving again: ${id} -> job ${job.id}`);
          }
        });
        return 0;
      case 'storage:migrate-photos': {
        const concurrency = Number(values.concurrency ?? '4');
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
          throw new UsageError('--concurrency must be an integer 1..32');
        const cfg = withDevSecrets(config, logger);
        const source = createFsStorage(cfg, createUrlSigner(cfg));
        const target = createS3Storage(cfg, logger);
        const file =
          values['mapping-file'] ??
          path.join(config.dataDir, `photo-migration-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
        const total = Number(
          (await db.knex('inspection_photos').where({ storage_driver: source.driver }).count({ n: '*' }))[0]?.n ?? 0,
        );
        await mkdir(path.dirname(path.resolve(file)), { recursive: true });
        const out = createWriteStream(file, { flags: 'a' });
        const tty = process.stderr.isTTY;
        const summary = await new PhotoStorageMigration(
          container.get<PhotoRepository>(PhotoRepository),
          source,
          target,
        ).run({
          dryRun: !!values['dry-run'],
          concurrency,
          onRecord: async (r, soFar) => {
            out.write(`${JSON.stringify({ ...r, at: new Date().toISOString(), dryRun: !!values['dry-run'] })}\n`);
            if (tty) process.stderr.write(`\r${progressLine(soFar.total, total, soFar)}`);
            else if (soFar.total % 50 === 0 || soFar.total === total)
              process.stderr.write(`${progressLine(soFar.total, total, soFar)}\n`);
          },
        });
        await new Promise<void>((resolve) => out.end(resolve));
        if (tty) process.stderr.write('\n');
        console.log(
          `${values['dry-run'] ? 'dry run: ' : ''}${summary.total} photos: ${summary.copied} copied, ${summary.alreadyCopied} already on ${target.driver}, ${summary.wouldCopy} to copy, ${summary.failed} failed (${(summary.bytes / 1048576).toFixed(1)} MB). Mapping: ${file}`,
        );
        return summary.failed > 0 ? 2 : 0;
      }
      case 'ipfs:withdraw-private': {
        const dryRun = !!values['dry-run'];
        const file =
          values['report-file'] ??
          path.join(config.dataDir, `ipfs-withdrawal-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
        const total = Number(
          (
            await db
              .knex('inspection_reports')
              .whereNot({ variant: PUBLIC_VARIANT })
              .whereNotNull('ipfs_cid')
              .count({ n: '*' })
          )[0]?.n ?? 0,
        );
        await mkdir(path.dirname(path.resolve(file)), { recursive: true });
        const out = createWriteStream(file, { flags: 'a' });
        const tty = process.stderr.isTTY;
        const nfts: string[] = [];
        const summary = await container.get(WithdrawPrivateCids).run({
          dryRun,
          onRecord: (r, soFar) => {
            out.write(`${JSON.stringify({ ...r, at: new Date().toISOString(), dryRun })}\n`);
            if (r.kind === 'nft')
              nfts.push(
                `${r.assetId ?? '?'} (tx ${r.txHash ?? '?'}, inspection ${r.inspectionId}): ${r.privateCids.map((c) => `${c.variant} ${c.cid}`).join(', ')}`,
              );
            else if (tty) process.stderr.write(`\r${withdrawProgressLine(soFar, total)}`);
            else if (soFar.cids % 50 === 0 || soFar.cids === total)
              process.stderr.write(`${withdrawProgressLine(soFar, total)}\n`);
          },
        });
        out.write(`${JSON.stringify({ kind: 'summary', ...summary, at: new Date().toISOString(), dryRun })}\n`);
        await new Promise<void>((resolve) => out.end(resolve));
        if (tty && total > 0) process.stderr.write('\n');
        console.log(
          `${dryRun ? 'dry run: ' : ''}${summary.cids} private report CIDs: ${summary.unpinned} unpinned and forgotten, ${summary.wouldUnpin} to withdraw, ${summary.failed} failed. Report: ${file}`,
        );
        console.log(
          `minted NFTs whose on-chain metadata names a private CID (permanent; for the operator): ${summary.nfts}${nfts.map((n) => `\n  ${n}`).join('')}`,
        );
        return summary.failed > 0 ? 2 : 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await db.close();
  }
}

class UsageError extends Error {}

/** Operator actions are recorded against the first active SUPERADMIN (the CLI runs with operator rights). */
async function operatorId(container: Container): Promise<string> {
  const sa = (
    await container
      .get<UserRepository>(UserRepository)
      .list({ role: ['SUPERADMIN'], isActive: true }, { page: 1, pageSize: 1 })
  ).items[0];
  if (!sa)
    throw new UsageError('create a SUPERADMIN first (create-superadmin): operator actions are audited against it');
  return sa.id;
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof ConfigError || e instanceof UsageError) console.error(e.message);
      else if (isDomainError(e))
        console.error(`${e.code}: ${e.message}${e.details.map((d) => `\n  ${d.path} ${d.message}`).join('')}`);
      else console.error(e);
      process.exit(e instanceof UsageError ? 64 : e instanceof ConfigError ? 78 : 1);
    },
  );
}
