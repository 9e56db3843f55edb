import { GATEWAY_STATUSES, type GatewayStatus } from '../../domain/customer/payment.js';
import type { WebhookEvent, WebhookRejection } from '../../ports/payments.js';

/** The header carrying the callback verification token (Xendit dashboard: Settings > Callbacks). */
export const CALLBACK_TOKEN_HEADER = 'x-callback-token';

/**
 * Reads a Xendit invoice callback (the sandbox sends the same shape). Mapping to our event:
 *
 * | Xendit field  | WebhookEvent | Notes |
 * |---------------|--------------|-------|
 * | header x-callback-token | token | compared in constant time by the gateway's verifyToken |
 * | id            | invoiceId    | the invoice id Xendit gave at creation (payments.invoice_id) |
 * | external_id   | externalId   | our payment id (payments.id) |
 * | status        | status       | PAID, SETTLED (counts as PAID), EXPIRED; FAILED from the sandbox; anything else is refused |
 * | paid_amount, amount | amount | for PAID/SETTLED the amount paid (paid_amount, else amount); otherwise amount |
 * | currency      | currency     | required; checked against ours (IDR) |
 * | paid_at       | paidAt       | ISO 8601; null when absent |
 * | payer_email, description, payment_method, ... | payload | kept with the stored event, not interpreted |
 */
export function readInvoiceCallback(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): WebhookEvent | WebhookRejection {
  const raw = headers[CALLBACK_TOKEN_HEADER];
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? null;
  const reject = (invalid: string): WebhookRejection => ({ token, invalid });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return reject('the body is not a JSON object');
  const b = body as Record<string, unknown>;
  const fields = identifyingFields(b);
  if (typeof fields === 'string') return reject(fields);
  const paid = fields.status === 'PAID' || fields.status === 'SETTLED';
  const amount = paid && typeof b.paid_amount === 'number' ? b.paid_amount : b.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0)
    return reject('amount must be a non-negative number');
  const paidAt = paidAtOf(b.paid_at);
  if (paidAt === 'invalid') return reject('paid_at must be an ISO 8601 date-time');
  return {
    token,
    invoiceId: fields.invoiceId,
    externalId: fields.externalId,
    status: fields.status,
    amount,
    currency: fields.currency.toUpperCase(),
    paidAt,
    payload: body,
  };
}

/** id, external_id, status and currency of a callback body, or what is wrong with them. */
function identifyingFields(
  b: Record<string, unknown>,
): { invoiceId: string; externalId: string; status: GatewayStatus; currency: string } | string {
  const text = (k: string) => (typeof b[k] === 'string' && (b[k] as string).length > 0 ? (b[k] as string) : null);
  const invoiceId = text('id');
  const externalId = text('external_id');
  const status = text('status')?.toUpperCase();
  const currency = text('currency');
  if (!invoiceId) return 'id is required';
  if (!externalId) return 'external_id is required';
  if (!status || !(GATEWAY_STATUSES as readonly string[]).includes(status))
    return `status "${String(b.status)}" is not one of ${GATEWAY_STATUSES.join(', ')}`;
  if (!currency) return 'currency is required';
  return { invoiceId, externalId, status: status as GatewayStatus, currency };
}

/** paid_at: absent or null is null; anything but an ISO 8601 string is 'invalid'. */
function paidAtOf(v: unknown): Date | null | 'invalid' {
  if (v === undefined || v === null) return null;
  const paidAt = typeof v === 'string' ? new Date(v) : null;
  return !paidAt || Number.isNaN(paidAt.getTime()) ? 'invalid' : paidAt;
}
