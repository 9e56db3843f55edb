import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FanOutNotifier, LogNotifier, SlackWebhookNotifier } from '../../../src/adapters/notify/notifiers.js';
import type { Alert, Notifier } from '../../../src/ports/notifier.js';
import { memoryLogger } from '../../support/logs.js';

const alert: Alert = {
  kind: 'JOB_FAILED',
  severity: 'critical',
  title: 'Report job failed for good',
  key: 'job-1',
  details: { pdfJobId: 'job-1', code: 'STORAGE.UNAVAILABLE' },
};

describe('notifiers', () => {
  it('the log notifier writes one structured line', async () => {
    const logs = memoryLogger();
    await new LogNotifier(logs.logger).notify(alert);
    expect(logs.lines()[0]).to.include({
      level: 'error',
      message: 'ALERT JOB_FAILED: Report job failed for good',
      alert: 'JOB_FAILED',
      pdfJobId: 'job-1',
    });
    // A detail named "message" must neither be lost nor glued onto the log message.
    await new LogNotifier(logs.logger).notify({ ...alert, details: { message: 'ledger said no' } });
    expect(logs.lines()[1]).to.include({
      message: 'ALERT JOB_FAILED: Report job failed for good',
      detail: 'ledger said no',
    });
  });

  it('posts a Slack-compatible payload to the webhook, and survives a webhook that fails', async () => {
    const received: Array<{ text: string; blocks: unknown[] }> = [];
    let answer = 200;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(answer).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-path`;
    const logs = memoryLogger();
    try {
      await new SlackWebhookNotifier(url, logs.logger).notify(alert);
      expect(received[0]?.text).to.equal(':rotating_light: [JOB_FAILED] Report job failed for good');
      expect(JSON.stringify(received[0]?.blocks)).to.contain('*code*: STORAGE.UNAVAILABLE');
      answer = 500;
      await new SlackWebhookNotifier(url, logs.logger).notify(alert);
      expect(logs.raw()).to.contain('alert webhook answered an error').and.not.to.contain('secret-path');
    } finally {
      server.close();
    }
    await new SlackWebhookNotifier('http://127.0.0.1:1/none', logs.logger, 500).notify(alert);
    expect(logs.raw()).to.contain('alert webhook failed');
  });

  it('fans out, and does not repeat one alert within the quiet period', async () => {
    const got: string[] = [];
    const sink = (name: string): Notifier => ({ notify: async (a) => void got.push(`${name}:${a.key}`) });
    let now = 0;
    const fan = new FanOutNotifier([sink('log'), sink('slack')], 60_000, () => now);
    await fan.notify(alert);
    await fan.notify(alert);
    await fan.notify({ ...alert, key: 'job-2' });
    now = 61_000;
    await fan.notify(alert);
    expect(got).to.deep.equal(['log:job-1', 'slack:job-1', 'log:job-2', 'slack:job-2', 'log:job-1', 'slack:job-1']);
  });
});
