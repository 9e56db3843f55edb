import { PaymentErrors } from '../../domain/customer/payment.js';
import type {
  CreatedInvoice,
  InvoiceRequest,
  PaymentGateway,
  WebhookEvent,
  WebhookRejection,
} from '../../ports/payments.js';
import { constantTimeEqual } from '../security/constant-time.js';
import { readInvoiceCallback } from './xendit-callback.js';

export interface XenditOptions {
  /** API origin, e.g. https://api.xendit.co (tests: a local imitation). */
  apiUrl: string;
  /** Secret API key: HTTP Basic user name, empty password. */
  secretKey: string;
  /** The callback verification token Xendit sends in x-callback-token. */
  callbackToken: string;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Xendit invoices (POST /v2/invoices, plain fetch). The invoice's external_id is our payment id; its
 * callbacks come to POST /api/v1/payments/webhook/xendit (configure that URL and the token in the dashboard).
 */
export class XenditGateway implements PaymentGateway {
  readonly name = 'xendit';
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly o: XenditOptions) {
    this.timeoutMs = o.timeoutMs ?? 15000;
    this.now = o.now ?? (() => new Date());
  }

  async createInvoice(r: InvoiceRequest): Promise<CreatedInvoice> {
    const body: Record<string, unknown> = {
      external_id: r.externalId,
      amount: r.amountIdr,
      description: r.description,
      success_redirect_url: r.successRedirectUrl,
      failure_redirect_url: r.failureRedirectUrl,
      invoice_duration: Math.max(60, Math.round((r.expiresAt.getTime() - this.now().getTime()) / 1000)),
      currency: 'IDR',
    };
    if (r.payerEmail) body.payer_email = r.payerEmail;
    let res: Response;
    try {
      res = await fetch(`${this.o.apiUrl.replace(/\/+$/, '')}/v2/invoices`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.o.secretKey}:`).toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw PaymentErrors.gatewayUnavailable(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    return readCreatedInvoice(res, r.expiresAt);
  }

  parseWebhook(headers: Record<string, string | string[] | undefined>, body: unknown): WebhookEvent | WebhookRejection {
    return readInvoiceCallback(headers, body);
  }

  verifyToken(token: string | null): boolean {
    return constantTimeEqual(token, this.o.callbackToken);
  }
}

/** Xendit's answer to POST /v2/invoices: the invoice, or the error it is (5xx and 429 retryable). */
async function readCreatedInvoice(res: Response, requestedExpiry: Date): Promise<CreatedInvoice> {
  const answer = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.status >= 500 || res.status === 429) throw PaymentErrors.gatewayUnavailable(`Xendit answered ${res.status}`);
  if (!res.ok)
    throw PaymentErrors.gatewayRejected(
      `${String(answer?.error_code ?? res.status)}: ${String(answer?.message ?? 'no message')}`,
    );
  const invoiceId = answer?.id;
  const invoiceUrl = answer?.invoice_url;
  if (typeof invoiceId !== 'string' || typeof invoiceUrl !== 'string')
    throw PaymentErrors.gatewayUnavailable('Xendit answered without id or invoice_url');
  const expiry = typeof answer?.expiry_date === 'string' ? new Date(answer.expiry_date) : requestedExpiry;
  return { invoiceId, invoiceUrl, expiresAt: Number.isNaN(expiry.getTime()) ? requestedExpiry : expiry };
}
