import { randomBytes } from 'node:crypto';
import type { GatewayStatus, Payment } from '../../domain/customer/payment.js';
import type {
  CreatedInvoice,
  InvoiceRequest,
  PaymentGateway,
  WebhookEvent,
  WebhookRejection,
} from '../../ports/payments.js';
import { constantTimeEqual } from '../security/constant-time.js';
import { CALLBACK_TOKEN_HEADER, readInvoiceCallback } from './xendit-callback.js';

export interface SandboxOptions {
  /** Public origin of this API: invoice URLs are `${checkoutBaseUrl}/sandbox/checkout/{invoiceId}`. */
  checkoutBaseUrl: string;
  /** Where callbacks go: our own POST /api/v1/payments/webhook/sandbox. */
  webhookUrl: string;
  /** Sent as x-callback-token, exactly like Xendit's callback verification token. */
  callbackToken: string;
  /** The payments table, where the sandbox reads its invoices (amount, currency, external id, status). */
  payments: { findByInvoice(gateway: string, invoiceId: string): Promise<Payment | null> };
  timeoutMs?: number;
  now?: () => Date;
}

/** What the checkout page shows. */
export interface SandboxInvoice {
  invoiceId: string;
  externalId: string;
  amountIdr: number;
  currency: string;
  status: Payment['status'];
  description: string;
  payerEmail: string | null;
  expiresAt: Date | null;
  successRedirectUrl: string | null;
  failureRedirectUrl: string | null;
}

export type SandboxAction = 'pay' | 'fail' | 'expire';

export interface SandboxDelivery {
  /** The status the callback carried (pay after the expiry sends EXPIRED, as the real gateway would have). */
  sent: GatewayStatus;
  /** Our webhook's answer (status 0: it could not be reached). */
  webhook: { status: number; body: unknown };
}

export const SANDBOX_INVOICE_ID = /^sbx_[0-9a-f]{32}$/;

/**
 * A payment gateway for development and tests. It keeps no database of its own: invoices are the rows of
 * our payments table (gateway "sandbox"), plus an in-memory note of each invoice's description, payer and
 * redirect URLs (lost on restart; the page then shows a generic description). Its checkout page (adapters/http/
 * sandbox-checkout.ts) lets a person pay, fail or expire an invoice; the sandbox then POSTs the callback to our
 * webhook over HTTP with Xendit's JSON shape and x-callback-token header. It deliberately allows replays
 * (paying twice, expiring a paid invoice) so that duplicate and late callbacks can be tried by hand.
 */
export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';
  private readonly notes = new Map<string, InvoiceRequest>();
  private readonly now: () => Date;

  constructor(private readonly o: SandboxOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async createInvoice(r: InvoiceRequest): Promise<CreatedInvoice> {
    const invoiceId = `sbx_${randomBytes(16).toString('hex')}`;
    this.notes.set(invoiceId, r);
    return {
      invoiceId,
      invoiceUrl: `${this.o.checkoutBaseUrl.replace(/\/+$/, '')}/sandbox/checkout/${invoiceId}`,
      expiresAt: r.expiresAt,
    };
  }

  parseWebhook(headers: Record<string, string | string[] | undefined>, body: unknown): WebhookEvent | WebhookRejection {
    return readInvoiceCallback(headers, body);
  }

  verifyToken(token: string | null): boolean {
    return constantTimeEqual(token, this.o.callbackToken);
  }

  async invoice(invoiceId: string): Promise<SandboxInvoice | null> {
    if (!SANDBOX_INVOICE_ID.test(invoiceId)) return null;
    const p = await this.o.payments.findByInvoice(this.name, invoiceId);
    if (!p) return null;
    const note = this.notes.get(invoiceId);
    return {
      invoiceId,
      externalId: p.id,
      amountIdr: p.amountIdr,
      currency: p.currency,
      status: p.status,
      description: note?.description ?? `CAR-dano payment ${p.id}`,
      payerEmail: note?.payerEmail ?? null,
      expiresAt: p.expiresAt,
      successRedirectUrl: note?.successRedirectUrl ?? null,
      failureRedirectUrl: note?.failureRedirectUrl ?? null,
    };
  }

  /** Completes an invoice the way the payer chose and calls our webhook like Xendit does. null: no such invoice. */
  async complete(invoiceId: string, action: SandboxAction): Promise<SandboxDelivery | null> {
    const inv = await this.invoice(invoiceId);
    if (!inv) return null;
    const now = this.now();
    const overdue = inv.expiresAt !== null && inv.expiresAt.getTime() <= now.getTime();
    const sent: GatewayStatus =
      action === 'expire' || (action === 'pay' && overdue) ? 'EXPIRED' : action === 'pay' ? 'PAID' : 'FAILED';
    const body: Record<string, unknown> = {
      id: inv.invoiceId,
      external_id: inv.externalId,
      user_id: 'sandbox',
      is_high: false,
      status: sent,
      merchant_name: 'CAR-dano (sandbox)',
      amount: inv.amountIdr,
      currency: inv.currency,
      description: inv.description,
      updated: now.toISOString(),
    };
    if (inv.payerEmail) body.payer_email = inv.payerEmail;
    if (sent === 'PAID')
      Object.assign(body, {
        paid_amount: inv.amountIdr,
        paid_at: now.toISOString(),
        payment_method: 'SANDBOX',
        payment_channel: 'SANDBOX',
      });
    try {
      const res = await fetch(this.o.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CALLBACK_TOKEN_HEADER]: this.o.callbackToken },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: shown as text
      }
      return { sent, webhook: { status: res.status, body: parsed } };
    } catch (e) {
      return { sent, webhook: { status: 0, body: e instanceof Error ? e.message : String(e) } };
    }
  }
}
