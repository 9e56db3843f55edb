/**
 * Configuration section of the circuit breakers around external ports (storage, renderer).
 */
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** When a breaker opens and how long it stays open. */
export const BREAKERS_ENV = {
  BREAKER_ERROR_THRESHOLD_PERCENT: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 50,
    description: 'Failure percentage that opens the circuit breaker of an external port (storage, renderer).',
  },
  BREAKER_VOLUME_THRESHOLD: {
    type: 'integer',
    minimum: 1,
    default: 5,
    description: 'Calls in the window before a breaker may open.',
  },
  BREAKER_WINDOW_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 60,
    description: 'Rolling window of the breaker statistics.',
  },
  BREAKER_RESET_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 30,
    description: 'How long an open breaker waits before one trial call.',
  },
} as const satisfies EnvSection;

/** The circuit breaker part of Config. */
export interface BreakersConfig {
  breakers: {
    errorThresholdPercentage: number;
    volumeThreshold: number;
    rollingCountTimeoutMs: number;
    resetTimeoutMs: number;
  };
}

/** Maps the validated environment into Config.breakers. */
export function breakersConfig(env: EnvValues): BreakersConfig {
  return {
    breakers: {
      errorThresholdPercentage: env.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: env.BREAKER_VOLUME_THRESHOLD,
      rollingCountTimeoutMs: env.BREAKER_WINDOW_SECONDS * 1000,
      resetTimeoutMs: env.BREAKER_RESET_SECONDS * 1000,
    },
  };
}
