import type { BreakerState } from './breaker.js';

/**
 * Which external dependencies have an open circuit. Queues whose work needs a dependency pause while its
 * breaker is open (instead of burning attempts) and resume once it closes.
 */
export class DependencyHealth {
  private readonly open = new Set<string>();
  private readonly listeners: Array<() => void> = [];

  report(name: string, state: BreakerState): void {
    const before = this.open.size;
    // Half-open lets one trial call through: the queue stays paused until the breaker has closed.
    if (state === 'closed') this.open.delete(name);
    else this.open.add(name);
    if (this.open.size !== before) for (const l of this.listeners) l();
  }

  anyOpen(names: readonly string[]): boolean {
    return names.some((n) => this.open.has(n));
  }

  openOnes(): string[] {
    return [...this.open].sort();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}
