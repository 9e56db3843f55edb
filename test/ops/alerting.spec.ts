/**
 * Alerting end to end with the real binaries (Debian packages prometheus and prometheus-alertmanager): the
 * API listens on 127.0.0.1 with object storage refusing every upload (below its circuit breaker, so the
 * production breaker, its events and its metrics are the real ones). Prometheus scrapes the API every second
 * and evaluates the committed rules (ops/prometheus/rules, with each `for:` set to 0 s so the test does not
 * wait 5 minutes), sends to Alertmanager running the committed routing tree and inhibitions (every receiver
 * redirected to a local webhook, waits shortened to 1 s), and the matching alert, CircuitBreakerOpen for
 * the storage breaker of the API, arrives at the webhook through the receiver the routing tree chooses.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import {
  committedRuleFiles,
  hurriedRules,
  localAlertmanagerConfig,
  localPrometheusConfig,
} from '../../scripts/observe/configs.js';
import { Actors } from '../support/actors.js';
import { servedTestApp } from '../support/api.js';
import { createInspectionAs } from '../support/inspections.js';
import { freePort } from '../support/net.js';
import { realJpeg } from '../support/photos.js';
import { interceptBelowBreaker } from '../drills/support/faults.js';
import { until } from '../drills/support/harness.js';

const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));
const ALERTMANAGER = ['/usr/bin/prometheus-alertmanager', '/usr/bin/alertmanager', '/usr/local/bin/alertmanager'].find(
  (p) => existsSync(p),
);

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface WebhookMessage {
  receiver: string;
  status: string;
  alerts: WebhookAlert[];
}

/** A process of the stack, its output kept for the failure message. */
function start(bin: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d) => (out = (out + d.toString()).slice(-20_000)));
  return { child, output: () => out };
}

describe('alerting end to end: a failing dependency reaches a webhook through Prometheus and Alertmanager', function () {
  this.timeout(120_000);
  let dir: string;
  let receiver: Server;
  const received: WebhookMessage[] = [];
  const procs: Array<ReturnType<typeof start>> = [];
  let app: Awaited<ReturnType<typeof servedTestApp>> | undefined;

  before(async function () {
    if (!PROMETHEUS || !ALERTMANAGER) {
      console.log(
        '      (skipped: Prometheus/Alertmanager not installed: apt-get install prometheus prometheus-alertmanager)',
      );
      this.skip();
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-alerting-'));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body) as WebhookMessage);
        res.end('ok');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/alerts`;

    // The API: a breaker that opens after 3 failures and stays open for the whole test.
    app = await servedTestApp(() => ({
      env: { BREAKER_VOLUME_THRESHOLD: '3', BREAKER_RESET_SECONDS: '600', BREAKER_WINDOW_SECONDS: '60' },
    }));

    const [promPort, amPort, amCluster] = [await freePort(), await freePort(), await freePort()];
    const rules = [];
    for (const f of committedRuleFiles()) {
      const copy = path.join(dir, path.basename(f));
      await writeFile(copy, hurriedRules(f, '0s'));
      rules.push(copy);
    }
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      localPrometheusConfig({
        api: new URL(app.base).host,
        alertmanager: `127.0.0.1:${amPort}`,
        ruleFiles: rules,
        scrapeInterval: '1s',
        evaluationInterval: '1s',
        env: 'test',
      }),
    );
    await writeFile(path.join(dir, 'alertmanager.yml'), localAlertmanagerConfig({ webhookUrl: hook, fast: true }));
    procs.push(
      start(ALERTMANAGER as string, [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        `--cluster.listen-address=127.0.0.1:${amCluster}`,
        '--log.level=warn',
      ]),
    );
    procs.push(
      start(PROMETHEUS as string, [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'prom')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ]),
    );
    const ready = async (url: string) => (await fetch(url)).status === 200;
    await until(() => ready(`http://127.0.0.1:${amPort}/-/ready`), 30_000, 'Alertmanager ready', 200).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${procs.map((p) => p.output()).join('\n')}`);
      },
    );
    await until(() => ready(`http://127.0.0.1:${promPort}/-/ready`), 30_000, 'Prometheus ready', 200).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${procs.map((p) => p.output()).join('\n')}`);
      },
    );
  });

  after(async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.child.exitCode === null ? once(p.child, 'exit') : undefined)));
    await app?.close();
    receiver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('storage refusing uploads opens its breaker; CircuitBreakerOpen reaches the webhook via backend-slack', async () => {
    const t = app as NonNullable<typeof app>;
    const inspector = await new Actors(t.container).create('INSPECTOR');
    const inspection = await createInspectionAs(t.container, inspector);
    const storage = t.container.get<ObjectStorage>(ObjectStorage);
    interceptBelowBreaker(storage, 'put', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });
    });
    const jpeg = await realJpeg(320, 240);
    const statuses: number[] = [];
    for (let k = 0; k < 6; k++) {
      const r = await t.api
        .post(`/api/v1/inspections/${inspection.id}/photos`)
        .set(inspector.auth)
        .attach('photos', jpeg, { filename: 'p.jpg', contentType: 'image/jpeg' });
      statuses.push(r.status);
    }
    expect(
      statuses.every((s) => s >= 500),
      `every upload failed on our side: ${statuses.join(',')}`,
    ).to.equal(true);
    const metrics = (await t.api.get('/metrics')).text;
    expect(metrics).to.match(/car_dano_breaker_state\{breaker="storage"\} 2/);
    expect(metrics).to.match(
      /car_dano_storage_operations_total\{operation="put",outcome="error",error_category="network"\} [1-9]/,
    );

    const firing = (m: WebhookMessage) =>
      m.alerts.find(
        (a) => a.status === 'firing' && a.labels.alertname === 'CircuitBreakerOpen' && a.labels.breaker === 'storage',
      );
    await until(() => received.some(firing), 60_000, 'CircuitBreakerOpen at the webhook', 250).catch((e: Error) => {
      throw new Error(
        `${e.message}; received: ${JSON.stringify(received).slice(0, 2000)}\n${procs.map((p) => p.output()).join('\n')}`,
      );
    });
    const message = received.find(firing) as WebhookMessage;
    const alert = firing(message) as WebhookAlert;
    // The committed routing tree chose the receiver: a warning of team backend goes to the team's channel.
    expect(message.receiver).to.equal('backend-slack');
    expect(alert.labels).to.include({ severity: 'warning', team: 'backend', service: 'api', env: 'test' });
    expect(alert.annotations.runbook_url).to.match(/docs\/runbooks\/circuit-breaker-open\.md$/);
    expect(alert.annotations.summary).to.contain('storage');
  });
});
