import type { Logger } from '../observability/logger.js';
import type { Alert, Notifier } from '../../ports/notifier.js';

/** Default notifier: one structured log line per alert (level error for critical, warn otherwise). */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async notify(a: Alert): Promise<void> {
    // winston merges a meta field named "message" into the log message: such a detail is kept as "detail".
    const { message, ...details } = a.details;
    this.logger.log(a.severity === 'critical' ? 'error' : 'warn', `ALERT ${a.kind}: ${a.title}`, {
      alert: a.kind,
      severity: a.severity,
      key: a.key,
      ...details,
      ...(message === undefined ? {} : { detail: message }),
    });
  }
}

/**
 * Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat). The URL is a secret: it is never
 * logged. A failed delivery is logged and dropped; the log notifier still has the alert.
 */
export class SlackWebhookNotifier implements Notifier {
  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly timeoutMs = 5000,
  ) {}

  async notify(a: Alert): Promise<void> {
    const fields = Object.entries(a.details).map(
      ([k, v]) => `*${k}*: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
    const body = {
      text: `${a.severity === 'critical' ? ':rotating_light:' : ':warning:'} [${a.kind}] ${a.title}`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: [`*${a.title}*`, ...fields].join('\n') } }],
    };
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) this.logger.warn('alert webhook answered an error', { status: res.status, alert: a.kind });
    } catch (e) {
      this.logger.warn('alert webhook failed', { error: e instanceof Error ? e.message : String(e), alert: a.kind });
    }
  }
}

/** Sends to several notifiers, and keeps one alert per kind + key quiet for a while (no floods). */
export class FanOutNotifier implements Notifier {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly targets: Notifier[],
    private readonly quietMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async notify(a: Alert): Promise<void> {
    const id = `${a.kind}:${a.key}`;
    const last = this.lastSent.get(id);
    if (last !== undefined && this.now() - last < this.quietMs) return;
    this.lastSent.set(id, this.now());
    await Promise.all(this.targets.map((t) => t.notify(a)));
  }
}
