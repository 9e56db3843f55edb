/**
 * (d) Infrastructure: scrape targets (`up`), the app's Node.js processes (prom-client default metrics,
 * filtered by the `service` variable), PostgreSQL (postgres_exporter), Redis (redis_exporter) and the host
 * (node_exporter). Exporter metric names: ops/prometheus/exporters.json; exporter series carry
 * service=postgres|redis|node and are filtered by `env` only.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  app,
  dashboard,
  inEnv,
  lowerIsBetter,
  RATE,
  redFrom,
  statPanel,
  sumRate,
  timeseriesPanel,
  valueText,
} from './lib.js';

const UP = valueText({ '0': ['down', 'red'], '1': ['up', 'green'] });
/** Real file systems only (not tmpfs/overlay, whose sizes follow memory or another layer). */
const FS = 'fstype!~"tmpfs|overlay|squashfs"';

export function infraDashboard(): Dashboard {
  return dashboard({
    uid: 'car-dano-infra',
    title: 'CAR-dano / Infrastructure',
    description:
      'Scrape targets, the API and worker processes (Node.js runtime), PostgreSQL, Redis and the host. Exporters: ops/prometheus/exporters.json.',
    tags: ['infrastructure'],
    variables: ['env', 'service'],
    sections: [
      {
        title: 'Targets',
        panels: [
          statPanel({
            title: 'Targets down',
            description: 'Scrape targets not answering (api, worker, postgres, redis, node, prometheus).',
            unit: 'none',
            query: { expr: `count(up${inEnv()} == 0)` },
            thresholds: redFrom(1),
            noValue: '0',
          }),
          statPanel({
            title: 'PostgreSQL',
            description: 'pg_up: whether postgres_exporter can reach the database.',
            unit: 'none',
            mappings: UP,
            query: { expr: `min(pg_up${inEnv()})` },
            thresholds: [
              [null, 'red'],
              [1, 'green'],
            ],
          }),
          statPanel({
            title: 'Redis',
            description: 'redis_up: whether redis_exporter can reach Redis.',
            unit: 'none',
            mappings: UP,
            query: { expr: `min(redis_up${inEnv()})` },
            thresholds: [
              [null, 'red'],
              [1, 'green'],
            ],
          }),
          statPanel({
            title: 'Restarts (range)',
            description:
              'Process restarts of the selected services over the selected range. Alert ProcessRestarting: more than 2 in 30 min.',
            unit: 'none',
            query: { expr: `sum(changes(process_start_time_seconds${app()}[$__range]))` },
            thresholds: lowerIsBetter(1, 3),
            noValue: '0',
          }),
          statPanel({
            title: 'Fullest file system',
            description:
              'Used share of the fullest real file system on the host (database, object storage, Prometheus).',
            unit: 'percentunit',
            query: {
              expr: `max(1 - node_filesystem_avail_bytes${inEnv(FS)} / node_filesystem_size_bytes${inEnv(FS)})`,
            },
            thresholds: lowerIsBetter(0.8, 0.9),
          }),
          statPanel({
            title: 'Memory available',
            description: 'Share of the host’s memory available to new processes.',
            unit: 'percentunit',
            query: {
              expr: `min(node_memory_MemAvailable_bytes${inEnv()} / node_memory_MemTotal_bytes${inEnv()})`,
            },
            thresholds: [
              [null, 'red'],
              [0.1, 'orange'],
              [0.2, 'green'],
            ],
          }),
          timeseriesPanel({
            title: 'Target up',
            description: '1 = the last scrape succeeded.',
            unit: 'none',
            w: 24,
            h: 6,
            min: 0,
            max: 1,
            mappings: UP,
            queries: [{ expr: `up${inEnv()}`, legend: '{{service}} {{instance}}' }],
          }),
        ],
      },
      {
        title: 'API and worker processes',
        panels: [
          timeseriesPanel({
            title: 'CPU',
            description: 'CPU time per second of wall time (1 = one core busy).',
            unit: 'percentunit',
            min: 0,
            w: 8,
            queries: [
              {
                expr: sumRate('process_cpu_seconds_total', app(), 'service, instance'),
                legend: '{{service}} {{instance}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Resident memory',
            description:
              'Resident set size of the Node.js process. The worker’s Chromium runs as separate processes: see the host’s memory.',
            unit: 'bytes',
            min: 0,
            w: 8,
            queries: [{ expr: `process_resident_memory_bytes${app()}`, legend: '{{service}} {{instance}}' }],
          }),
          timeseriesPanel({
            title: 'Heap used',
            description: 'V8 heap in use: a steady climb that never falls back after GC is a leak.',
            unit: 'bytes',
            min: 0,
            w: 8,
            queries: [{ expr: `nodejs_heap_size_used_bytes${app()}`, legend: '{{service}} {{instance}}' }],
          }),
          timeseriesPanel({
            title: 'Event loop lag p99',
            description: 'How late timers fire: above 100 ms every request waits.',
            unit: 's',
            min: 0,
            w: 8,
            queries: [{ expr: `nodejs_eventloop_lag_p99_seconds${app()}`, legend: '{{service}} {{instance}}' }],
            thresholdLines: [
              [null, 'transparent'],
              [0.1, 'red'],
            ],
          }),
          timeseriesPanel({
            title: 'GC time',
            description: 'Seconds spent in garbage collection per second, by GC kind.',
            unit: 'percentunit',
            min: 0,
            w: 8,
            queries: [
              {
                expr: sumRate('nodejs_gc_duration_seconds_sum', app(), 'service, instance, kind'),
                legend: '{{service}} {{instance}} {{kind}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Open file descriptors',
            description: 'Open descriptors as a share of the limit (sockets, files).',
            unit: 'percentunit',
            min: 0,
            w: 8,
            queries: [
              { expr: `process_open_fds${app()} / process_max_fds${app()}`, legend: '{{service}} {{instance}}' },
            ],
          }),
        ],
      },
      {
        title: 'PostgreSQL',
        panels: [
          timeseriesPanel({
            title: 'Connections used',
            description: 'Backends as a share of max_connections (the API and worker pools plus pg-boss).',
            unit: 'percentunit',
            min: 0,
            w: 8,
            queries: [
              {
                expr: `sum by (instance) (pg_stat_database_numbackends${inEnv()})\n/\nmax by (instance) (pg_settings_max_connections${inEnv()})`,
                legend: '{{instance}}',
              },
            ],
            thresholdLines: [
              [null, 'transparent'],
              [0.8, 'red'],
            ],
          }),
          timeseriesPanel({
            title: 'Transactions',
            description: 'Commits and rollbacks per second.',
            unit: 'ops',
            w: 8,
            queries: [
              { expr: sumRate('pg_stat_database_xact_commit', inEnv(), 'datname'), legend: 'commit {{datname}}' },
              { expr: sumRate('pg_stat_database_xact_rollback', inEnv(), 'datname'), legend: 'rollback {{datname}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Longest open transaction',
            description: 'Age of the oldest running transaction: long ones hold locks and block vacuum.',
            unit: 's',
            min: 0,
            w: 8,
            queries: [
              { expr: `max by (instance) (pg_stat_activity_max_tx_duration${inEnv()})`, legend: '{{instance}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Database size',
            description: 'On-disk size per database.',
            unit: 'bytes',
            min: 0,
            w: 8,
            queries: [{ expr: `sum by (datname) (pg_database_size_bytes${inEnv()})`, legend: '{{datname}}' }],
          }),
          timeseriesPanel({
            title: 'Locks by mode',
            description: 'Locks held or awaited, by mode.',
            unit: 'none',
            w: 8,
            queries: [{ expr: `sum by (mode) (pg_locks_count${inEnv()})`, legend: '{{mode}}' }],
          }),
          timeseriesPanel({
            title: 'Deadlocks',
            description: 'Deadlocks detected per minute (each aborts a transaction).',
            unit: 'opm',
            w: 8,
            queries: [
              { expr: `60 * ${sumRate('pg_stat_database_deadlocks', inEnv(), 'datname')}`, legend: '{{datname}}' },
            ],
          }),
        ],
      },
      {
        title: 'Redis',
        panels: [
          timeseriesPanel({
            title: 'Memory used',
            description: 'Memory used against maxmemory (0 = no limit configured).',
            unit: 'bytes',
            min: 0,
            w: 8,
            queries: [
              { expr: `max by (instance) (redis_memory_used_bytes${inEnv()})`, legend: 'used {{instance}}' },
              { expr: `max by (instance) (redis_memory_max_bytes${inEnv()})`, legend: 'max {{instance}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Commands and clients',
            description: 'Commands processed per second and connected clients.',
            unit: 'ops',
            w: 8,
            queries: [
              { expr: sumRate('redis_commands_processed_total', inEnv(), 'instance'), legend: 'commands {{instance}}' },
              { expr: `sum by (instance) (redis_connected_clients${inEnv()})`, legend: 'clients {{instance}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Keyspace hit ratio and evictions',
            description: 'Share of key lookups that hit; evictions per second (keys dropped because of maxmemory).',
            unit: 'percentunit',
            min: 0,
            w: 8,
            queries: [
              {
                expr: `${sumRate('redis_keyspace_hits_total', inEnv(), 'instance')}\n/\n(${sumRate('redis_keyspace_hits_total', inEnv(), 'instance')} + ${sumRate('redis_keyspace_misses_total', inEnv(), 'instance')})`,
                legend: 'hit ratio {{instance}}',
              },
              { expr: sumRate('redis_evicted_keys_total', inEnv(), 'instance'), legend: 'evictions/s {{instance}}' },
            ],
          }),
        ],
      },
      {
        title: 'Host',
        panels: [
          timeseriesPanel({
            title: 'CPU busy',
            description: 'Share of CPU time not idle, all cores.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            w: 8,
            queries: [
              {
                expr: `1 - avg by (instance) (rate(node_cpu_seconds_total${inEnv('mode="idle"')}[${RATE}]))`,
                legend: '{{instance}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Load average',
            description: 'Runnable processes averaged over 1 and 5 minutes; compare with the number of cores.',
            unit: 'short',
            min: 0,
            w: 8,
            queries: [
              { expr: `node_load1${inEnv()}`, legend: '1m {{instance}}' },
              { expr: `node_load5${inEnv()}`, legend: '5m {{instance}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Memory available',
            description: 'Share of memory available to new processes.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            w: 8,
            queries: [
              {
                expr: `node_memory_MemAvailable_bytes${inEnv()} / node_memory_MemTotal_bytes${inEnv()}`,
                legend: '{{instance}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'File system used',
            description: 'Used share per mount point.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            w: 8,
            queries: [
              {
                expr: `1 - node_filesystem_avail_bytes${inEnv(FS)} / node_filesystem_size_bytes${inEnv(FS)}`,
                legend: '{{mountpoint}}',
              },
            ],
            thresholdLines: [
              [null, 'transparent'],
              [0.9, 'red'],
            ],
          }),
          timeseriesPanel({
            title: 'Disk busy',
            description: 'Share of time each disk was busy with I/O.',
            unit: 'percentunit',
            min: 0,
            w: 8,
            queries: [
              { expr: sumRate('node_disk_io_time_seconds_total', inEnv(), 'instance, device'), legend: '{{device}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Network',
            description: 'Bytes received and sent per second (loopback left out).',
            unit: 'Bps',
            w: 8,
            queries: [
              {
                expr: sumRate('node_network_receive_bytes_total', inEnv('device!="lo"'), 'instance'),
                legend: 'in {{instance}}',
              },
              {
                expr: sumRate('node_network_transmit_bytes_total', inEnv('device!="lo"'), 'instance'),
                legend: 'out {{instance}}',
              },
            ],
          }),
          statPanel({
            title: 'Last successful backup',
            description:
              'Time since the newest successful database backup finished (car_dano_backup_last_success_timestamp_seconds, from the backup state file and the textfile collector). Alert BackupStale above 36 h; runbook docs/runbooks/backup-restore.md.',
            unit: 's',
            w: 4,
            h: 6,
            query: { expr: `time() - max(car_dano_backup_last_success_timestamp_seconds${inEnv()})` },
            thresholds: lowerIsBetter(26 * 3600, 36 * 3600),
            noValue: 'never',
          }),
          timeseriesPanel({
            title: 'Textfile collector: file age',
            description:
              'Seconds since each file of node_exporter’s textfile collector was written (the backup command writes its status there; a file that stops being refreshed is a job that stopped running).',
            unit: 's',
            min: 0,
            w: 20,
            h: 6,
            queries: [{ expr: `time() - node_textfile_mtime_seconds${inEnv()}`, legend: '{{file}}' }],
          }),
        ],
      },
    ],
  });
}
