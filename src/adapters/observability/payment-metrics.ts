import { Counter, type Registry } from 'prom-client';
import { WEBHOOK_OUTCOMES, type PaymentPurpose, type WebhookOutcome } from '../../domain/customer/payment.js';
import type { PaymentTelemetry } from '../../ports/payment-telemetry.js';

const PURPOSE_LABEL: Record<PaymentPurpose, string> = { INSPECTION_REQUEST: 'inspection', CREDIT_PACKAGE: 'credits' };

/**
 * `car_dano_payment_invoices_total{purpose,outcome}` (inspection or credits; created or error) and
 * `car_dano_payment_webhooks_total{outcome}` (applied, ignored, duplicate, mismatch, unknown-invoice,
 * rejected, error).
 */
export class PromPaymentTelemetry implements PaymentTelemetry {
  private readonly invoices: Counter<'purpose' | 'outcome'>;
  private readonly webhooks: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.invoices = new Counter({
      name: 'car_dano_payment_invoices_total',
      help: 'Invoices requested from the payment gateway by purpose (inspection, credits) and outcome (created, error).',
      labelNames: ['purpose', 'outcome'] as const,
      registers: [registry],
    });
    this.webhooks = new Counter({
      name: 'car_dano_payment_webhooks_total',
      help: 'Payment gateway webhooks by outcome (applied, ignored, duplicate, mismatch, unknown-invoice, rejected, error).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    // Every known series from the start (at 0), so rates and ratios see a 0 rather than nothing.
    for (const purpose of Object.values(PURPOSE_LABEL))
      for (const outcome of ['created', 'error']) this.invoices.inc({ purpose, outcome }, 0);
    for (const outcome of [...WEBHOOK_OUTCOMES, 'rejected', 'error']) this.webhooks.inc({ outcome }, 0);
  }

  invoiceOpened(purpose: PaymentPurpose, outcome: 'created' | 'error'): void {
    this.invoices.inc({ purpose: PURPOSE_LABEL[purpose], outcome });
  }

  webhookHandled(outcome: WebhookOutcome | 'rejected' | 'error'): void {
    this.webhooks.inc({ outcome });
  }
}
