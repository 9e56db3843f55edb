import type { Container } from 'inversify';
import type { JobWithMetadata } from 'pg-boss';
import { ConfirmMints } from '../application/archive/confirm-mints.js';
import { ProcessMintJob } from '../application/archive/process-mint-job.js';
import { runInJobContext, type JobOrigin } from '../adapters/observability/job-context.js';
import type { Logger } from '../adapters/observability/logger.js';
import { BacklogMonitor } from '../adapters/queue/backlog-monitor.js';
import { ConsumerPool } from '../adapters/queue/consumer-pool.js';
import { MINT_QUEUE, type PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import type { DependencyHealth } from '../adapters/resilience/dependency-health.js';
import { MintJobStore } from '../ports/mint-jobs.js';
import { Notifier } from '../ports/notifier.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import type { Config } from './config.js';
import { Tokens } from './tokens.js';

/** A mint job's data; its origin (trace context, request id) is added by the bus when it is sent. */
export interface MintJobData extends JobOrigin {
  mintJobId: string;
  inspectionId: string;
}

/** While the chain's breaker is open the mint queue and the watcher wait. */
export const MINT_DEPENDENCIES = ['chain'] as const;

export const mintQueues = (config: Config) => [
  // A job's attempt makes at most a handful of chain calls, each within CHAIN_SUBMIT_TIMEOUT_MS.
  {
    name: MINT_QUEUE,
    retryLimit: config.mint.retryLimit,
    retryDelaySeconds: config.mint.retryDelaySeconds,
    expireInSeconds: Math.ceil((config.chain.timeoutMs * 8) / 1000),
    heartbeatSeconds: config.jobs.heartbeatSeconds,
  },
];

/**
 * The pg-boss handler: runs ProcessMintJob on each job, in the job's span (a child of the report job's or
 * of the archive request's) with its ids and the cause's request id on every log line and audit row; a
 * failure is logged and re-thrown for pg-boss to retry.
 */
function mintJobHandler(process: ProcessMintJob, log: Logger) {
  const one = async (job: JobWithMetadata<MintJobData>): Promise<void> => {
    const finalAttempt = job.retryCount >= job.retryLimit;
    try {
      await process.execute(job.data.mintJobId, { finalAttempt });
    } catch (e) {
      log.warn('mint attempt failed: will retry', {
        mintJobId: job.data.mintJobId,
        attempt: job.retryCount + 1,
        code: (e as { code?: string }).code,
        err: e,
      });
      throw e;
    }
  };
  return async (jobs: JobWithMetadata<MintJobData>[]) => {
    for (const job of jobs)
      await runInJobContext(
        job.data,
        'mint-job',
        { mintJobId: job.data.mintJobId, inspectionId: job.data.inspectionId },
        () => one(job),
      );
  };
}

/**
 * One round of the confirmation watcher at a time (a call during a round gets that round); none while the
 * chain's breaker is open. `running()` is the round in progress, if any.
 */
function watcherRounds(watcher: ConfirmMints, health: DependencyHealth, log: Logger) {
  let ticking: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    ticking ??= (async () => {
      try {
        if (health.anyOpen(MINT_DEPENDENCIES)) return;
        const round = await watcher.tick();
        if (round.confirmed || round.rebuilt) log.info('mint watcher round', { ...round });
      } catch (e) {
        log.warn('mint watcher round failed', { err: e });
      } finally {
        ticking = undefined;
      }
    })();
    return ticking;
  };
  return { tick, running: () => ticking };
}

/**
 * The mint worker: MINT_CONCURRENCY pg-boss consumers running ProcessMintJob (each mint leases its own
 * wallet UTxO, so they run in parallel from one wallet), and the confirmation watcher polling SUBMITTED
 * mints every MINT_POLL_MS. A retryable failure is thrown for pg-boss to retry with exponential backoff;
 * ProcessMintJob itself ends a job for good on a fatal error or the final attempt.
 */
export async function startMintWorker(
  container: Container,
  bus: PgBossBus,
  config: Config,
  logger: Logger,
): Promise<{ stop(): Promise<void>; concurrency(): number; tick(): Promise<void> }> {
  const process = container.get(ProcessMintJob);
  const watcher = container.get(ConfirmMints);
  const notifier = container.get<Notifier>(Notifier);
  const log = logger.child({ component: 'mint' });
  const handler = mintJobHandler(process, log);
  const consumers = new ConsumerPool(
    () => bus.boss.work(MINT_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 0.5 }, handler),
    (id) => bus.boss.offWork(MINT_QUEUE, { id }),
  );
  const health = container.get(Tokens.DependencyHealth);
  const apply = () => consumers.resize(health.concurrencyFor(MINT_DEPENDENCIES, config.mint.concurrency));
  health.onChange(() => {
    if (health.anyOpen(MINT_DEPENDENCIES))
      log.warn('mint queue paused: the chain is failing', { openBreakers: health.openOnes() });
    else if (health.onTrial(MINT_DEPENDENCIES))
      log.warn('mint queue on trial: one job at a time while the chain breaker is half-open');
    void apply();
  });
  await apply();

  const rounds = watcherRounds(watcher, health, log);
  const timer = setInterval(() => void rounds.tick(), config.mint.pollMs);
  timer.unref();
  const backlog = new BacklogMonitor(
    MINT_QUEUE,
    async () => (await container.get<MintJobStore>(MintJobStore).stats(new Date())).byState.QUEUED ?? 0,
    { maxDepth: config.worker.backlogMaxDepth, forMs: config.worker.backlogMinutes * 60_000 },
    notifier,
  );
  backlog.start(30_000);
  log.info('mint worker started', { concurrency: config.mint.concurrency, confirmations: config.mint.confirmations });
  return {
    concurrency: () => consumers.size,
    tick: rounds.tick,
    stop: async () => {
      clearInterval(timer);
      backlog.stop();
      await consumers.resize(0);
      await rounds.running();
    },
  };
}

/** Sends a QUEUED mint job to the workers again (the watcher's rebuild of a vanished transaction). */
export const resendMint = (container: Container) => (job: { id: string; inspectionId: string }) =>
  container.get<UnitOfWork>(UnitOfWork).run((tx) => tx.mintJobs.resend(job.id, job.inspectionId));
