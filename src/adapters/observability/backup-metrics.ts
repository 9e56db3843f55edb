import type { Metric, Registry } from 'prom-client';

const NAME = 'car_dano_backup_last_success_timestamp_seconds';
const HELP = 'When the last successful database backup finished (Unix time), from BACKUP_DIR/backup-state.json.';

/**
 * `car_dano_backup_last_success_timestamp_seconds`: when the newest successful backup finished, read at
 * scrape time from the backup state file the backup command writes. Before the first backup there is no
 * sample at all (a prom-client Gauge without labels would always say 0, which BackupStale would read as a
 * backup 56 years old on every host that does not run backups), hence this small collector of its own.
 */
export function registerBackupMetrics(registry: Registry, lastSuccess: () => Promise<number | null>): void {
  const metric = {
    name: NAME,
    help: HELP,
    type: 'gauge',
    aggregator: 'omit',
    get: async () => {
      const at = await lastSuccess().catch(() => null);
      return {
        name: NAME,
        help: HELP,
        type: 'gauge',
        aggregator: 'omit',
        values: at === null ? [] : [{ value: at, labels: {} }],
      };
    },
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}
