import { migrateLatest, migrateRollbackAll, migrationStatus } from '../../adapters/postgres/migrator.js';
import { UsageError, type CliCommand } from './context.js';

/** migrate, migrate:status, migrate:rollback (the CLI opens the database without migrating for these). */
export const migrateCommands: Record<string, CliCommand> = {
  migrate: async ({ db, out }) => {
    out(`applied: ${(await migrateLatest(db.knex)).join(', ') || '(nothing pending)'}`);
    return 0;
  },
  'migrate:status': async ({ db, out }) => {
    const s = await migrationStatus(db.knex);
    out(`applied: ${s.applied.join(', ') || '-'}\npending: ${s.pending.join(', ') || '-'}`);
    return 0;
  },
  'migrate:rollback': async ({ config, db, out }) => {
    if (config.production)
      throw new UsageError(
        'migrate:rollback is refused under the production profile (APP_ENV=production or NODE_ENV=production)',
      );
    out(`rolled back: ${(await migrateRollbackAll(db.knex)).join(', ') || '(nothing)'}`);
    return 0;
  },
};
