/**
 * Configuration section of the job queues and the report worker: heartbeats, the load governor that
 * adjusts how many reports render at once, and the backlog alert.
 */
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** Job heartbeats, the worker and its load governor; WORKER_ENABLED is Config.reports.workerEnabled. */
export const JOBS_ENV = {
  JOB_HEARTBEAT_SECONDS: {
    type: 'integer',
    minimum: 10,
    maximum: 600,
    default: 10,
    description:
      'A running report or mint job sends a heartbeat every half of this; a job whose worker died (no heartbeat for this long) is retried. Crash recovery takes about this + JOB_MONITOR_SECONDS + the first retry delay.',
  },
  JOB_MONITOR_SECONDS: {
    type: 'integer',
    minimum: 1,
    maximum: 300,
    default: 5,
    description: 'How often each process checks the queues for jobs whose heartbeat or time limit has run out.',
  },
  WORKER_ENABLED: {
    type: 'string',
    enum: ['true', 'false'],
    default: 'true',
    description:
      'Run the report worker inside the API process (make run); false when workers run separately (npm run worker).',
  },
  WORKER_MIN_CONCURRENCY: {
    type: 'integer',
    minimum: 1,
    default: 1,
    description: 'Fewest report consumers the load governor keeps running.',
  },
  WORKER_HIGH_LOAD_PER_CORE: {
    type: 'number',
    minimum: 0.1,
    default: 1.5,
    description: 'Above this 1-minute load per core the worker takes one consumer away.',
  },
  WORKER_LOW_LOAD_PER_CORE: {
    type: 'number',
    minimum: 0,
    default: 0.7,
    description: 'Below this load per core (with memory to spare) the worker gives one back, up to RENDER_CONCURRENCY.',
  },
  WORKER_MIN_FREE_MEMORY_MB: {
    type: 'integer',
    minimum: 0,
    default: 512,
    description: 'Below this free memory the worker takes one consumer away.',
  },
  QUEUE_BACKLOG_ALERT_DEPTH: {
    type: 'integer',
    minimum: 1,
    default: 100,
    description: 'Alert when more than this many report jobs are queued...',
  },
  QUEUE_BACKLOG_ALERT_MINUTES: { type: 'integer', minimum: 1, default: 10, description: '...for this many minutes.' },
  WORKER_GOVERNOR_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 10,
    description: 'How often the load governor re-evaluates.',
  },
} as const satisfies EnvSection;

/** The job and worker part of Config. */
export interface JobsConfig {
  jobs: { heartbeatSeconds: number; monitorSeconds: number };
  worker: {
    minConcurrency: number;
    highLoadPerCore: number;
    lowLoadPerCore: number;
    minFreeMemoryMB: number;
    governorSeconds: number;
    backlogMaxDepth: number;
    backlogMinutes: number;
  };
}

/** Maps the validated environment into Config.jobs and Config.worker. */
export function jobsConfig(env: EnvValues): JobsConfig {
  return {
    jobs: { heartbeatSeconds: env.JOB_HEARTBEAT_SECONDS, monitorSeconds: env.JOB_MONITOR_SECONDS },
    worker: {
      minConcurrency: env.WORKER_MIN_CONCURRENCY,
      highLoadPerCore: env.WORKER_HIGH_LOAD_PER_CORE,
      lowLoadPerCore: env.WORKER_LOW_LOAD_PER_CORE,
      minFreeMemoryMB: env.WORKER_MIN_FREE_MEMORY_MB,
      governorSeconds: env.WORKER_GOVERNOR_SECONDS,
      backlogMaxDepth: env.QUEUE_BACKLOG_ALERT_DEPTH,
      backlogMinutes: env.QUEUE_BACKLOG_ALERT_MINUTES,
    },
  };
}
