import { FanOutNotifier, LogNotifier, SlackWebhookNotifier } from '../../../adapters/notify/notifiers.js';
import type { Logger } from '../../../adapters/observability/logger.js';
import type { BreakerState } from '../../../adapters/resilience/breaker.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import type { Notifier } from '../../../ports/notifier.js';
import type { Config } from '../../config.js';

/** Alerts to operators: always a log line, plus a Slack-compatible webhook when configured. */
export function createNotifier(config: Config, logger: Logger): Notifier {
  const targets: Notifier[] = [new LogNotifier(logger)];
  if (config.alerts.webhookUrl) targets.push(new SlackWebhookNotifier(config.alerts.webhookUrl, logger));
  return new FanOutNotifier(targets, config.alerts.quietMs);
}

/** Breaker state changes are operational events: logged, tracked (queues pause) and an opening is an alert. */
export const breakerEvents = (logger: Logger, notifier: Notifier, health: DependencyHealth) => ({
  stateChanged: (name: string, state: BreakerState) => {
    health.report(name, state);
    if (state === 'closed') logger.info(`circuit breaker ${state}`, { breaker: name, state });
    else logger.warn(`circuit breaker ${state}`, { breaker: name, state });
    if (state === 'open') {
      void notifier.notify({
        kind: 'BREAKER_OPEN',
        severity: 'critical',
        title: `${name} is failing: its circuit breaker opened`,
        key: name,
        details: { breaker: name },
      });
    }
  },
});
