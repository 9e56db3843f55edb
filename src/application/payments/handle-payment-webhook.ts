import {
  applyGatewayStatus,
  PaymentErrors,
  type Payment,
  type PaymentStatus,
  type WebhookOutcome,
} from '../../domain/customer/payment.js';
import type { WebhookEvent } from '../../ports/payments.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { PaymentDeps } from './deps.js';
import { applyToRequest, grantPurchasedCredits, mismatchOf } from './webhook-effects.js';

export interface WebhookInput {
  /** The {gateway} of the webhook URL. */
  gateway: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface WebhookResult {
  received: true;
  outcome: WebhookOutcome;
  paymentId?: string;
  status?: Payment['status'];
}

/** Something operators must look at (sent after the transaction). */
interface Alert {
  title: string;
  details: Record<string, unknown>;
}

/**
 * A gateway callback. The token is checked first (constant time; wrong: 401, nothing stored). An unknown
 * invoice is answered without side effects. Every other event is stored once per gateway + invoice + status
 * (a repeat answers `duplicate` and changes nothing); an event whose amount, currency or external id differs
 * from our record is stored as `mismatch`, changes nothing and alerts operators; otherwise the payment state
 * machine decides, and a PAID is applied in the same transaction: the payment PAID with paidAt, then the
 * request's payment status PAID (INSPECTION_REQUEST) or the credits granted once (CREDIT_PACKAGE).
 */
export class HandlePaymentWebhook {
  constructor(private readonly d: Pick<PaymentDeps, 'uow' | 'gateway' | 'ids' | 'clock' | 'notifier' | 'telemetry'>) {}

  async execute(input: WebhookInput): Promise<WebhookResult> {
    let e: WebhookEvent;
    try {
      e = this.parse(input);
    } catch (err) {
      this.d.telemetry.webhookHandled('rejected');
      throw err;
    }
    const alerts: Alert[] = [];
    const result = await this.d.uow
      .run((tx) => this.handle(tx, e, alerts))
      .catch((err: unknown) => {
        this.d.telemetry.webhookHandled('error');
        throw err;
      });
    this.d.telemetry.webhookHandled(result.outcome);
    for (const a of alerts) {
      await this.d.notifier.notify({
        kind: 'PAYMENT_ANOMALY',
        severity: 'warning',
        title: a.title,
        key: `${this.d.gateway.name}:${e.invoiceId}:${e.status}`,
        details: a.details,
      });
    }
    return result;
  }

  /** The gateway of the URL, the token (before anything else of the body is trusted), then the event. */
  private parse(input: WebhookInput): WebhookEvent {
    const gw = this.d.gateway;
    if (input.gateway !== gw.name) throw PaymentErrors.unknownGateway(input.gateway);
    const parsed = gw.parseWebhook(input.headers, input.body);
    if (!gw.verifyToken(parsed.token)) throw PaymentErrors.webhookToken();
    if ('invalid' in parsed) throw PaymentErrors.webhookInvalid(parsed.invalid);
    return parsed;
  }

  private async handle(tx: TransactionalPorts, e: WebhookEvent, alerts: Alert[]): Promise<WebhookResult> {
    const gw = this.d.gateway;
    const now = this.d.clock.now();
    // Lock order as everywhere else: the request first, then its payment.
    const seen = await tx.payments.findByInvoice(gw.name, e.invoiceId);
    if (!seen) return { received: true, outcome: 'unknown-invoice' };
    if (seen.requestId) await tx.inspectionRequests.findByIdForUpdate(seen.requestId);
    const payment = (await tx.payments.findByInvoiceForUpdate(gw.name, e.invoiceId)) as Payment;
    const mismatch = mismatchOf(payment, e);
    const next = mismatch ? 'ignored' : applyGatewayStatus(payment.status, e.status);
    const outcome: WebhookOutcome = mismatch ? 'mismatch' : next === 'ignored' ? 'ignored' : 'applied';
    const stored = await tx.payments.recordEvent(
      {
        id: this.d.ids.next(),
        gateway: gw.name,
        invoiceId: e.invoiceId,
        status: e.status,
        paymentId: payment.id,
        payload: e.payload,
        outcome,
      },
      now,
    );
    const unchanged: WebhookResult = { received: true, outcome, paymentId: payment.id, status: payment.status };
    if (!stored) return { ...unchanged, outcome: 'duplicate' };
    if (mismatch) {
      alerts.push({
        title: `Payment callback does not match payment ${payment.id}: ${mismatch}`,
        details: { paymentId: payment.id, gateway: gw.name, invoiceId: e.invoiceId, status: e.status, mismatch },
      });
      return unchanged;
    }
    if (next === 'ignored') return unchanged;
    const updated = await this.apply(tx, payment, next, e, alerts, now);
    return { received: true, outcome, paymentId: payment.id, status: updated.status };
  }

  /** The state machine's move: the payment's new status, then the request's side or the credits granted. */
  private async apply(
    tx: TransactionalPorts,
    payment: Payment,
    next: PaymentStatus,
    e: WebhookEvent,
    alerts: Alert[],
    now: Date,
  ): Promise<Payment> {
    const gw = this.d.gateway;
    const updated = (await tx.payments.setStatus(
      payment.id,
      next,
      next === 'PAID' ? (e.paidAt ?? now) : null,
      now,
    )) as Payment;
    await tx.audit.record(
      {
        actorId: null,
        action: 'PAYMENT_APPLIED',
        entity: 'payment',
        entityId: payment.id,
        metadata: {
          from: payment.status,
          to: next,
          gatewayStatus: e.status,
          gateway: gw.name,
          invoiceId: e.invoiceId,
          amountIdr: payment.amountIdr,
        },
      },
      now,
    );
    if (payment.purpose === 'INSPECTION_REQUEST' && payment.requestId) {
      const note = await applyToRequest(tx, updated, payment.status, now);
      if (note)
        alerts.push({
          title: note,
          details: { paymentId: payment.id, requestId: payment.requestId, gateway: gw.name, invoiceId: e.invoiceId },
        });
    }
    if (payment.purpose === 'CREDIT_PACKAGE' && next === 'PAID' && payment.credits)
      await grantPurchasedCredits(tx, this.d.ids, payment, now);
    return updated;
  }
}
