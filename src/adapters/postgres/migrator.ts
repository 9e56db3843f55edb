import type { Knex } from 'knex';
import { migrations, type Migration } from '../../../migrations/index.js';

/** Serves knex the explicit migration list instead of scanning a directory. */
class ListMigrationSource implements Knex.MigrationSource<readonly [string, Migration]> {
  async getMigrations(): Promise<Array<readonly [string, Migration]>> {
    return [...migrations];
  }
  getMigrationName(m: readonly [string, Migration]): string {
    return m[0];
  }
  async getMigration(m: readonly [string, Migration]): Promise<Knex.Migration> {
    return m[1];
  }
}

const config = (): Knex.MigratorConfig => ({
  migrationSource: new ListMigrationSource() as Knex.MigrationSource<unknown>,
  tableName: 'knex_migrations',
});

/** Applies every pending migration; returns the names applied. Safe to run concurrently (knex locks). */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(config())) as [number, string[]];
  return applied;
}

/** Rolls back every migration (development and tests only). */
export async function migrateRollbackAll(knex: Knex): Promise<string[]> {
  const [, rolled] = (await knex.migrate.rollback(config(), true)) as [number, string[]];
  return rolled;
}

export async function migrationStatus(knex: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [done, pending] = (await knex.migrate.list(config())) as [
    Array<{ name: string }>,
    Array<readonly [string, Migration]>,
  ];
  return { applied: done.map((d) => d.name), pending: pending.map((p) => p[0]) };
}
