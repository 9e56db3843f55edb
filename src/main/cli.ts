import type { Container } from 'inversify';
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/observability/logger.js';
import { PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { isDomainError } from '../domain/shared/domain-error.js';
import { accountCommands } from './cli/account-commands.js';
import { backupCommands } from './cli/backup-commands.js';
import { operatorId, UsageError, type CliCommand, type CliContext, type Operator } from './cli/context.js';
import { ipfsCommands } from './cli/ipfs-commands.js';
import { jobCommands } from './cli/job-commands.js';
import { migrateCommands } from './cli/migrate-commands.js';
import { mintCommands } from './cli/mint-commands.js';
import { objectCommands } from './cli/object-commands.js';
import { storageCommands } from './cli/storage-commands.js';
import { ConfigError, loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { openDatabase } from './database-bootstrap.js';
import { withDevSecrets } from './dev-secrets.js';
import { mintQueues } from './mint-worker.js';
import { reportQueues } from './worker.js';

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
  storage:migrate-objects [--from fs] [--to s3] [--kinds K,...] [--dry-run] [--concurrency N] [--mapping-file PATH]
                                  copy every stored object the database references (K: inspection-photo with
                                  its rendition, vehicle-photo, request-photo, report-pdf; default all) from
                                  --from to --to, verify each copy (size + SHA-256), then point its row at --to;
                                  resumable. Exit: 0 done, 2 a row failed (storage:migrate-photos: old name)
  storage:manifest [--out FILE]   write the object manifest (JSON lines: key, size, SHA-256 of every object the
                                  database references) to FILE (default DATA_DIR/manifests/objects-<time>.jsonl)
  storage:verify [--manifest FILE] [--quick] [--concurrency N] [--report-file PATH]
                                  check every object of FILE (default: of the database) in its store: missing,
                                  size-mismatch, corrupt (SHA-256), unverifiable (no store for its driver);
                                  --quick checks sizes only. Exit: 0 all ok, 2 problems, 65 invalid manifest
  ipfs:withdraw-private [--dry-run] [--report-file PATH]
                                  unpin every full-variant report CID added to IPFS before only the public
                                  variant was, forget it in the database (audited), and list the minted NFTs
                                  whose metadata names one (they cannot change on chain); resumable
  backup [--db-only | --all]       dump the database (pg_dump -Fc; --all: pg_dumpall, gzipped) with the client
                                  tools of the server's major version into BACKUP_DIR, with an object manifest
                                  and metadata; optional encryption (BACKUP_ENCRYPTION) and verified offsite
                                  copy (BACKUP_OFFSITE=s3); retention RETENTION_DAYS. Exit: 0 done, 2 dump
                                  failed, 3 offsite copy failed, 69 no matching client tools, 73 BACKUP_DIR refused
  restore FILE --database NAME [--force]
                                  check FILE against its metadata, decrypt, and restore it into NAME (created
                                  when missing; a non-empty NAME needs --force); a --all backup replays into
                                  the server. Exit: 0 done, 2 restore failed, 65 corrupt file, 69 no client tools

Passwords: with --password-stdin the first line of standard input is the password; otherwise a random
one is generated and printed once. Inspector PINs are always generated and printed once.
The database is DATABASE_URL, or the embedded PostgreSQL under DATA_DIR when it is unset.`;

/** Every command by name (one module per group under ./cli/). */
const COMMANDS = new Map<string, CliCommand>(
  Object.entries({
    ...migrateCommands,
    ...accountCommands,
    ...jobCommands,
    ...mintCommands,
    ...storageCommands,
    ...ipfsCommands,
    ...objectCommands,
    ...backupCommands,
  }),
);

const parseCommandLine = (args: string[]) =>
  parseArgs({
    args,
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
      from: { type: 'string' },
      to: { type: 'string' },
      kinds: { type: 'string' },
      out: { type: 'string' },
      manifest: { type: 'string' },
      quick: { type: 'boolean' },
      all: { type: 'boolean' },
      'db-only': { type: 'boolean' },
      database: { type: 'string' },
      force: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });

/** Runs one command line; the exit code (64 for help without a command). */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 64;
  }
  const { values, positionals } = parseCommandLine(rest);
  const config = loadConfig();
  const logger = createLogger(['info', 'http'].includes(config.logLevel) ? 'warn' : config.logLevel, process.stderr);
  // A backup or restore never changes the schema it reads (nor do the migrate commands apply on their own).
  const db = await openDatabase(config, logger, { migrate: !/^(migrate|backup$|restore$)/.test(command) });
  try {
    const container = buildContainer({ config: withDevSecrets(config, logger), logger, knex: db.knex });
    const ctx: CliContext = {
      command,
      values,
      positionals,
      config,
      logger,
      db,
      container,
      out: (text) => console.log(text),
      need: (k) => {
        const v = values[k];
        if (!v) throw new UsageError(`--${k} is required`);
        return v;
      },
      withQueues: async (work: (jobContainer: Container, operator: Operator) => Promise<void>) => {
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
      },
    };
    const run = COMMANDS.get(command);
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(ctx);
  } finally {
    await db.close();
  }
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
