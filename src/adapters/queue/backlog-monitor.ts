import type { Notifier } from '../../ports/notifier.js';

export interface BacklogSettings {
  /** Queued jobs above this count... */
  maxDepth: number;
  /** ...for this long raise a QUEUE_BACKLOG alert. */
  forMs: number;
}

/** Watches a queue's depth; alerts once it has stayed above the limit for the configured time. */
export class BacklogMonitor {
  private aboveSince: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: string,
    private readonly depth: () => Promise<number>,
    private readonly settings: BacklogSettings,
    private readonly notifier: Notifier,
    private readonly now: () => number = Date.now,
  ) {}

  /** One check; returns true when it alerted. */
  async tick(): Promise<boolean> {
    const d = await this.depth();
    if (d <= this.settings.maxDepth) {
      this.aboveSince = null;
      return false;
    }
    this.aboveSince ??= this.now();
    if (this.now() - this.aboveSince < this.settings.forMs) return false;
    await this.notifier.notify({
      kind: 'QUEUE_BACKLOG',
      severity: 'warning',
      title: `${this.queue}: ${d} jobs waiting for more than ${Math.round(this.settings.forMs / 60000)} min`,
      key: this.queue,
      details: { queue: this.queue, depth: d, limit: this.settings.maxDepth },
    });
    return true;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.tick().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
