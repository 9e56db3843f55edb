import type { BreakerState } from './breaker.js';

/**
 * The circuit state of each external dependency. Queues whose work needs a dependency pause while its breaker
 * is open (instead of burning attempts), take one job at a time while it is half-open (that job is the trial
 * call that closes or re-opens it: with nothing calling, a half-open breaker would never close), and resume
 * fully once it has closed.
 */
export class DependencyHealth {
  private readonly states = new Map<string, BreakerState>();
  private readonly listeners: Array<(name: string, state: BreakerState) => void> = [];

  report(name: string, state: BreakerState): void {
    const before = this.states.get(name) ?? 'closed';
    if (state === 'closed') this.states.delete(name);
    else this.states.set(name, state);
    if (before !== state) for (const l of this.listeners) l(name, state);
  }

  anyOpen(names: readonly string[]): boolean {
    return names.some((n) => this.states.get(n) === 'open');
  }

  /** Some dependency is half-open (and none open): let a single trial job through. */
  onTrial(names: readonly string[]): boolean {
    return !this.anyOpen(names) && names.some((n) => this.states.get(n) === 'half-open');
  }

  /** The consumers a queue needing `names` may run: none while one is open, one on trial, else `wanted`. */
  concurrencyFor(names: readonly string[], wanted: number): number {
    return this.anyOpen(names) ? 0 : this.onTrial(names) ? 1 : wanted;
  }

  /** Dependencies whose breaker is not closed (open or half-open). */
  openOnes(): string[] {
    return [...this.states.keys()].sort();
  }

  /** The state of one dependency's breaker (closed when never reported). */
  stateOf(name: string): BreakerState {
    return this.states.get(name) ?? 'closed';
  }

  /** Called on every state change of a breaker, with its name and new state. */
  onChange(listener: (name: string, state: BreakerState) => void): void {
    this.listeners.push(listener);
  }
}
