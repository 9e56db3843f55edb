import type { PaymentPurpose, WebhookOutcome } from '../domain/customer/payment.js';

/** Where payments report what happened (metrics): invoices opened at the gateway and webhooks handled. */
export interface PaymentTelemetry {
  /** An invoice was requested from the gateway for `purpose`: created, or the gateway failed. */
  invoiceOpened(purpose: PaymentPurpose, outcome: 'created' | 'error'): void;
  /** A gateway webhook was handled with `outcome`, refused (`rejected`: unknown gateway, bad token or body), or failed on our side (`error`). */
  webhookHandled(outcome: WebhookOutcome | 'rejected' | 'error'): void;
}

export const PaymentTelemetry = Symbol('PaymentTelemetry');

/** Telemetry that records nothing (unit tests, CLI). */
export const noPaymentTelemetry: PaymentTelemetry = { invoiceOpened: () => undefined, webhookHandled: () => undefined };
