import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the imitation received. */
export interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** An invoice the imitation created, as Xendit keeps it. */
export interface ImitatedInvoice {
  id: string;
  external_id: string;
  user_id: string;
  status: 'PENDING' | 'PAID' | 'SETTLED' | 'EXPIRED';
  merchant_name: string;
  amount: number;
  payer_email?: string;
  description: string;
  expiry_date: string;
  invoice_url: string;
  currency: string;
  created: string;
}

export interface XenditImitationOptions {
  /** The secret API key it accepts (HTTP Basic user name, empty password), like Xendit. */
  secretKey: string;
  /** The account's callback verification token: sent as x-callback-token with every callback. */
  callbackToken?: string;
  /** Where invoice callbacks are POSTed (Xendit dashboard: Settings > Callbacks > Invoices paid). */
  webhookUrl?: string;
  /** Xendit's clock: expiry_date is created + invoice_duration (default 2026-11-24T02:00:00Z). */
  now?: () => Date;
  /** Overrides the answer to POST /v2/invoices (after the auth check). */
  answer?: (seen: Seen) => { status: number; body: unknown } | undefined;
}

export interface XenditImitation {
  url: string;
  seen: Seen[];
  /** Created invoices by id. */
  invoices: Map<string, ImitatedInvoice>;
  /**
   * Pays (PAID) or expires (EXPIRED) an invoice and POSTs the invoice callback to `webhookUrl` with Xendit's
   * documented shape and the x-callback-token header. Returns the webhook's HTTP status.
   */
  settle(invoiceId: string, status: 'PAID' | 'EXPIRED', at?: Date): Promise<number>;
  stop(): Promise<void>;
}

const FIRST_ID = 0x579c8d61f23fa4ca35e52da4n;

/**
 * A local imitation of Xendit's invoice API (127.0.0.1, no internet): POST /v2/invoices with Basic auth
 * checked like Xendit (401 INVALID_API_KEY), answering the documented invoice object; ids are 24 hex digits
 * (the first one 579c8d61f23fa4ca35e52da4, then counting up). `settle` plays the gateway's callback.
 */
export async function startXenditImitation(o: XenditImitationOptions): Promise<XenditImitation> {
  const seen: Seen[] = [];
  const invoices = new Map<string, ImitatedInvoice>();
  const now = o.now ?? (() => new Date('2026-11-24T02:00:00.000Z'));
  let next = FIRST_ID;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: raw ? JSON.parse(raw) : {},
      };
      seen.push(s);
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (s.authorization !== `Basic ${Buffer.from(`${o.secretKey}:`).toString('base64')}`)
        return send(401, { error_code: 'INVALID_API_KEY', message: 'API key is invalid' });
      if (s.method !== 'POST' || s.url !== '/v2/invoices')
        return send(404, { error_code: 'NOT_FOUND', message: 'no route' });
      const custom = o.answer?.(s);
      if (custom) return send(custom.status, custom.body);
      const id = (next++).toString(16);
      const created = now();
      const invoice: ImitatedInvoice = {
        id,
        external_id: s.body.external_id as string,
        user_id: '5781d19b2e2385880609791c',
        status: 'PENDING',
        merchant_name: 'CAR-dano',
        amount: s.body.amount as number,
        ...(typeof s.body.payer_email === 'string' ? { payer_email: s.body.payer_email } : {}),
        description: s.body.description as string,
        expiry_date: new Date(created.getTime() + Number(s.body.invoice_duration) * 1000).toISOString(),
        invoice_url: `https://checkout-staging.xendit.co/web/${id}`,
        currency: (s.body.currency as string | undefined) ?? 'IDR',
        created: created.toISOString(),
      };
      invoices.set(id, invoice);
      send(200, invoice);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function settle(invoiceId: string, status: 'PAID' | 'EXPIRED', at = now()): Promise<number> {
    const inv = invoices.get(invoiceId);
    if (!inv) throw new Error(`the imitation has no invoice ${invoiceId}`);
    if (!o.webhookUrl) throw new Error('the imitation has no webhookUrl to call');
    inv.status = status;
    // The invoice callback as documented by Xendit (Invoices > Callback): paid_amount, paid_at and the
    // payment channel only when paid.
    const body: Record<string, unknown> = {
      id: inv.id,
      external_id: inv.external_id,
      user_id: inv.user_id,
      is_high: false,
      status,
      merchant_name: inv.merchant_name,
      amount: inv.amount,
      ...(inv.payer_email ? { payer_email: inv.payer_email } : {}),
      description: inv.description,
      created: inv.created,
      updated: at.toISOString(),
      currency: inv.currency,
    };
    if (status === 'PAID')
      Object.assign(body, {
        paid_amount: inv.amount,
        paid_at: at.toISOString(),
        payment_method: 'BANK_TRANSFER',
        bank_code: 'BCA',
        payment_channel: 'BCA',
        payment_destination: '8808999917965673',
      });
    const res = await fetch(o.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callback-token': o.callbackToken ?? '' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.status;
  }

  return { url, seen, invoices, settle, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
