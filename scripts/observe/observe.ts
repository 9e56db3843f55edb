/**
 * `make observe`: a real Prometheus and Alertmanager on 127.0.0.1 next to `make run` (and `make worker`),
 * with the committed rules and routing tree, until Ctrl-C. Prometheus scrapes the API at OBSERVE_API
 * (127.0.0.1:$PORT, default 3000) and a separate worker at OBSERVE_WORKER (with WORKER_ENABLED=false:
 * 127.0.0.1:$WORKER_METRICS_PORT, default 9465); Alertmanager sends every receiver's notifications to OBSERVE_WEBHOOK_URL when set (else nowhere: see
 * them in its UI). With METRICS_TOKEN set, Prometheus sends it (from a private file under .data/observe).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { localAlertmanagerConfig, localPrometheusConfig } from './configs.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const bin = (names: string[]) => names.find((p) => existsSync(p));
const PROMETHEUS = bin(['/usr/bin/prometheus', '/usr/local/bin/prometheus', '/opt/homebrew/bin/prometheus']);
const ALERTMANAGER = bin([
  '/usr/bin/prometheus-alertmanager',
  '/usr/bin/alertmanager',
  '/usr/local/bin/alertmanager',
  '/opt/homebrew/bin/alertmanager',
]);

async function main(): Promise<void> {
  if (!PROMETHEUS || !ALERTMANAGER) {
    console.error(
      'make observe needs Prometheus and Alertmanager: apt-get install prometheus prometheus-alertmanager (make deps does it as root)',
    );
    process.exit(1);
  }
  const dir = path.join(ROOT, '.data/observe');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const env = process.env;
  const api = env.OBSERVE_API ?? `127.0.0.1:${env.PORT ?? '3000'}`;
  // `make run` runs the workers inside the API (WORKER_ENABLED=true): only a separate worker is scraped,
  // else WorkerTargetDown would fire for a process that does not exist.
  const worker =
    env.OBSERVE_WORKER ??
    (env.WORKER_ENABLED === 'false' ? `127.0.0.1:${env.WORKER_METRICS_PORT ?? '9465'}` : undefined);
  const promPort = env.OBSERVE_PROMETHEUS_PORT ?? '9090';
  const amPort = env.OBSERVE_ALERTMANAGER_PORT ?? '9093';
  let tokenFile: string | undefined;
  if (env.METRICS_TOKEN) {
    tokenFile = path.join(dir, 'metrics-token');
    await writeFile(tokenFile, env.METRICS_TOKEN, { mode: 0o600 });
    await chmod(tokenFile, 0o600);
  }
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    localPrometheusConfig({ api, worker, alertmanager: `127.0.0.1:${amPort}`, tokenFile, scrapeInterval: '5s' }),
  );
  await writeFile(path.join(dir, 'alertmanager.yml'), localAlertmanagerConfig({ webhookUrl: env.OBSERVE_WEBHOOK_URL }));
  const children: ChildProcess[] = [
    spawn(
      ALERTMANAGER,
      [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'alertmanager')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'inherit' },
    ),
    spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'prometheus')}`,
        '--storage.tsdb.retention.time=7d',
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'inherit' },
    ),
  ];
  console.log(`Prometheus    http://127.0.0.1:${promPort}  (scraping api ${api}, worker ${
    worker ?? 'none: inside the API; set OBSERVE_WORKER or WORKER_ENABLED=false for make worker'
  }; rules: ops/prometheus/rules)
Alertmanager  http://127.0.0.1:${amPort}  (routing: ops/alertmanager/alertmanager.yml; notifications: ${
    env.OBSERVE_WEBHOOK_URL ?? 'none, set OBSERVE_WEBHOOK_URL to receive them'
  })
Alerts        http://127.0.0.1:${promPort}/alerts    Targets http://127.0.0.1:${promPort}/targets
Config and data in .data/observe; Ctrl-C stops both.`);
  const stop = () => children.forEach((c) => c.kill('SIGTERM'));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const codes = await Promise.all(children.map((c) => new Promise<number | null>((r) => c.on('exit', r))));
  process.exit(codes.every((c) => c === 0 || c === null) ? 0 : 1);
}

void main();
