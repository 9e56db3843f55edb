import os from 'node:os';

export interface LoadSample {
  /** 1-minute load average divided by the number of cores. */
  loadPerCore: number;
  freeMemoryMB: number;
}

export interface GovernorLimits {
  min: number;
  max: number;
  /** Above this load per core (or below the free memory floor) one worker is taken away. */
  highLoadPerCore: number;
  /** Below this load per core (and above twice the memory floor) one worker is given back. */
  lowLoadPerCore: number;
  minFreeMemoryMB: number;
}

/** One step towards what the machine can take: down fast when loaded, up one at a time when it is not. */
export function nextConcurrency(current: number, s: LoadSample, l: GovernorLimits): number {
  if (s.loadPerCore > l.highLoadPerCore || s.freeMemoryMB < l.minFreeMemoryMB) return Math.max(l.min, current - 1);
  if (s.loadPerCore < l.lowLoadPerCore && s.freeMemoryMB > l.minFreeMemoryMB * 2) return Math.min(l.max, current + 1);
  return current;
}

export const sampleMachine = (): LoadSample => ({
  loadPerCore: (os.loadavg()[0] ?? 0) / Math.max(1, os.cpus().length),
  freeMemoryMB: Math.round(os.freemem() / 1048576),
});

export interface Governed {
  /** Starts or stops consumers so that `n` run. */
  setConcurrency(n: number): Promise<void>;
}

/**
 * Re-evaluates the worker's concurrency every `intervalMs` from the machine's load and free memory and
 * applies it (rendering on a loaded machine only makes every report slower and risks running out of memory).
 */
export class LoadGovernor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly target: Governed,
    private current: number,
    private readonly limits: GovernorLimits,
    private readonly onChange: (from: number, to: number, sample: LoadSample) => void,
    private readonly sample: () => LoadSample = sampleMachine,
  ) {}

  /** One evaluation (the timer calls this; tests call it directly). */
  async tick(): Promise<number> {
    if (this.running) return this.current;
    this.running = true;
    try {
      const s = this.sample();
      const next = nextConcurrency(this.current, s, this.limits);
      if (next !== this.current) {
        await this.target.setConcurrency(next);
        this.onChange(this.current, next, s);
        this.current = next;
      }
      return this.current;
    } finally {
      this.running = false;
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.tick().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
