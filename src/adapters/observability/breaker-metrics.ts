import { Counter, Gauge, type Registry } from 'prom-client';
import type { DependencyHealth } from '../resilience/dependency-health.js';

/** Every circuit breaker of the app (their names in withBreaker). */
export const BREAKERS = ['storage', 'renderer', 'ipfs', 'chain', 'chain-verify', 'payments'] as const;

const VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * `car_dano_breaker_state{breaker}` (0 closed, 1 half-open, 2 open; read at scrape time) and
 * `car_dano_breaker_transitions_total{breaker,state}` (every change, counted as it happens).
 */
export function registerBreakerMetrics(registry: Registry, health: DependencyHealth): void {
  const state: Gauge<'breaker'> = new Gauge({
    name: 'car_dano_breaker_state',
    help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open.',
    labelNames: ['breaker'] as const,
    registers: [registry],
    collect: () => {
      for (const breaker of BREAKERS) state.set({ breaker }, VALUE[health.stateOf(breaker)]);
    },
  });
  const transitions = new Counter({
    name: 'car_dano_breaker_transitions_total',
    help: 'Circuit breaker state changes per dependency and new state (open, half-open, closed).',
    labelNames: ['breaker', 'state'] as const,
    registers: [registry],
  });
  health.onChange((breaker, to) => transitions.inc({ breaker, state: to }));
}
