import CircuitBreaker from 'opossum';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';

export interface BreakerOptions {
  /** Port name in logs, metrics and error messages ("storage", "renderer", "ipfs", "chain"). */
  name: string;
  /** Failure percentage over the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls needed in the window before the percentage counts. */
  volumeThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). */
  resetTimeoutMs: number;
  rollingCountTimeoutMs: number;
  /** Per-call timeout; 0 leaves timing to the adapter. */
  timeoutMs: number;
  /** Error codes that never count as failures (e.g. a render's quality gate: the page, not Chromium). */
  ignoreCodes?: string[];
  /** Methods that do no I/O (e.g. signing a URL) and must keep working while the circuit is open. */
  bypass?: string[];
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerEvents {
  stateChanged(name: string, state: BreakerState): void;
}

/**
 * Failures that say nothing about the dependency's health (a missing object, a bad key or input) must not
 * open the circuit; only availability failures and unexpected errors count.
 */
export function countsAsFailure(e: unknown, ignoreCodes: readonly string[] = []): boolean {
  return !isDomainError(e) || (e.kind === 'unavailable' && !ignoreCodes.includes(e.code));
}

/**
 * Wraps every method of a port in one opossum circuit breaker (methods returning promises; properties pass
 * through). While open, calls fail fast with DEPENDENCY.CIRCUIT_OPEN (kind unavailable) instead of waiting
 * on a dependency that is down; after resetTimeoutMs one call is let through and success closes it again.
 */
export function withBreaker<T extends object>(
  port: T,
  o: BreakerOptions,
  events: BreakerEvents,
): T & { breakerState(): BreakerState } {
  const breaker = new CircuitBreaker(
    async (method: string, args: unknown[]) =>
      (port as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]?.(...args),
    {
      name: o.name,
      errorThresholdPercentage: o.errorThresholdPercentage,
      volumeThreshold: o.volumeThreshold,
      resetTimeout: o.resetTimeoutMs,
      rollingCountTimeout: o.rollingCountTimeoutMs,
      timeout: o.timeoutMs > 0 ? o.timeoutMs : false,
      errorFilter: (e: unknown) => !countsAsFailure(e, o.ignoreCodes),
    },
  );
  breaker.on('open', () => events.stateChanged(o.name, 'open'));
  breaker.on('halfOpen', () => events.stateChanged(o.name, 'half-open'));
  breaker.on('close', () => events.stateChanged(o.name, 'closed'));
  const state = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    try {
      return await breaker.fire(method, args);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EOPENBREAKER')
        throw new DomainError(
          'DEPENDENCY.CIRCUIT_OPEN',
          'unavailable',
          `${o.name} is failing; calls are paused for a while.`,
        );
      if (code === 'ETIMEDOUT' && !isDomainError(e))
        throw new DomainError(
          'DEPENDENCY.TIMEOUT',
          'unavailable',
          `${o.name} did not answer within ${o.timeoutMs} ms.`,
        );
      throw e;
    }
  };

  return new Proxy(port, {
    get(target, prop, receiver) {
      if (prop === 'breakerState') return state;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      if (o.bypass?.includes(prop)) return value.bind(target);
      return (...args: unknown[]) => call(prop, args);
    },
  }) as T & { breakerState(): BreakerState };
}
