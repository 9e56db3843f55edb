import type { Logger } from '../../../adapters/observability/logger.js';
import { SandboxGateway } from '../../../adapters/payments/sandbox-gateway.js';
import { XenditGateway } from '../../../adapters/payments/xendit-gateway.js';
import { withBreaker } from '../../../adapters/resilience/breaker.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import type { Notifier } from '../../../ports/notifier.js';
import { PaymentGateway, PaymentRepository } from '../../../ports/payments.js';
import type { Config } from '../../config.js';
import { breakerEvents } from './alerts.js';
import { ContainerModule } from 'inversify';
import { Tokens } from '../../tokens.js';
import { PromPaymentTelemetry } from '../../../adapters/observability/payment-metrics.js';
import { PaymentTelemetry } from '../../../ports/payment-telemetry.js';

/**
 * The payment gateway chosen by PAYMENT_DRIVER: the sandbox (default; its checkout pages call our webhook
 * over HTTP at REPORT_BASE_URL, the API's own origin) or Xendit invoices (behind the "payments" breaker).
 */
export function paymentsModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<PaymentTelemetry>(PaymentTelemetry)
      .toDynamicValue((ctx) => new PromPaymentTelemetry(ctx.get(Tokens.Metrics).registry))
      .inSingletonScope();
    bind<PaymentGateway>(PaymentGateway)
      .toDynamicValue((ctx) => {
        const token = config.payments.webhookToken ?? '';
        if (!token) logger.warn('PAYMENT_WEBHOOK_TOKEN is not set: every payment webhook will be refused');
        if (config.payments.driver === 'xendit') {
          const xendit = new XenditGateway({
            apiUrl: config.payments.xenditApiUrl,
            secretKey: config.payments.xenditSecretKey ?? '',
            callbackToken: token,
          });
          return withBreaker(
            xendit,
            { name: 'payments', timeoutMs: 0, bypass: ['parseWebhook', 'verifyToken'], ...config.breakers },
            breakerEvents(logger, notifier, health),
          );
        }
        if (config.production)
          logger.warn('PAYMENT_DRIVER=sandbox in production: anyone with an invoice link can mark it paid');
        return new SandboxGateway({
          checkoutBaseUrl: config.publicBaseUrl ?? config.reports.baseUrl,
          webhookUrl: `${config.reports.baseUrl}/api/v1/payments/webhook/sandbox`,
          callbackToken: token,
          payments: ctx.get<PaymentRepository>(PaymentRepository),
        });
      })
      .inSingletonScope();
  });
}
