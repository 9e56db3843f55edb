import express, { type Request, type Response } from 'express';
import type { SandboxAction, SandboxDelivery, SandboxGateway, SandboxInvoice } from '../payments/sandbox-gateway.js';
import { esc, rupiah } from './report/html.js';
import { sendProblem } from './problem.js';

const ACTIONS: Record<SandboxAction, string> = { pay: 'Pay', fail: 'Fail', expire: 'Expire' };

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · CAR-dano sandbox checkout</title>
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
.banner{background:#fff3c4;border:1px solid #f0b429;padding:.5rem .75rem;border-radius:.25rem;font-size:.9rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem}dt{color:#616e7c}
.amount{font-size:1.8rem;font-weight:600;margin:1rem 0}
form{display:inline-block;margin-right:.5rem}button{font-size:1rem;padding:.5rem 1.2rem;border-radius:.25rem;border:1px solid #9aa5b1;cursor:pointer}
button.pay{background:#2f8132;color:#fff;border-color:#2f8132}pre{background:#f5f7fa;padding:.75rem;overflow:auto}
</style></head><body>
<p class="banner">Sandbox gateway: no money moves. Each button calls the webhook exactly like Xendit would; replays are allowed so that duplicate and late callbacks can be tried.</p>
${body}
</body></html>`;

function invoicePage(inv: SandboxInvoice): string {
  const forms = (Object.keys(ACTIONS) as SandboxAction[])
    .map(
      (a) =>
        `<form method="post" action="/sandbox/checkout/${esc(inv.invoiceId)}/${a}"><button type="submit" class="${a}">${ACTIONS[a]}</button></form>`,
    )
    .join('');
  return page(
    `Invoice ${inv.invoiceId}`,
    `<h1>CAR-dano checkout</h1>
<p>${esc(inv.description)}</p>
<p class="amount">${esc(rupiah(inv.amountIdr))} <small>${esc(inv.currency)}</small></p>
<dl><dt>Invoice</dt><dd>${esc(inv.invoiceId)}</dd><dt>Payment</dt><dd>${esc(inv.externalId)}</dd><dt>Status</dt><dd id="status">${esc(inv.status)}</dd>
<dt>Payer</dt><dd>${esc(inv.payerEmail ?? '-')}</dd><dt>Expires</dt><dd>${esc(inv.expiresAt?.toISOString() ?? '-')}</dd></dl>
${forms}`,
  );
}

function resultPage(inv: SandboxInvoice, d: SandboxDelivery): string {
  const back = d.sent === 'PAID' ? inv.successRedirectUrl : inv.failureRedirectUrl;
  return page(
    `Invoice ${inv.invoiceId}: ${d.sent}`,
    `<h1>${esc(d.sent)}</h1>
<p>The sandbox sent a <strong>${esc(d.sent)}</strong> callback for invoice ${esc(inv.invoiceId)}; the webhook answered <strong id="webhook-status">${d.webhook.status || 'nothing (unreachable)'}</strong>:</p>
<pre>${esc(JSON.stringify(d.webhook.body, null, 2))}</pre>
<p><a href="/sandbox/checkout/${esc(inv.invoiceId)}">Back to the invoice</a>${back ? ` · <a href="${esc(back)}">Return to the shop</a>` : ''}</p>`,
  );
}

/**
 * The sandbox gateway's hosted checkout, mounted at /sandbox/checkout only with PAYMENT_DRIVER=sandbox:
 * GET /{invoiceId} shows the invoice with Pay / Fail / Expire buttons; POST /{invoiceId}/{pay|fail|expire}
 * makes the sandbox call our webhook and shows its answer (JSON instead when the client asks for it).
 */
export function sandboxCheckout(gateway: SandboxGateway): express.Router {
  const router = express.Router();
  const route = (r: string) => (_req: Request, res: Response, next: () => void) => {
    res.locals.route = `/sandbox/checkout${r}`;
    next();
  };
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  router.get('/:invoiceId', route('/:invoiceId'), async (req: Request, res: Response) => {
    const inv = await gateway.invoice(String(req.params.invoiceId));
    if (!inv) return sendProblem(res, 404, 'PAYMENT.INVOICE_NOT_FOUND', 'No such sandbox invoice.');
    noStore(res);
    res.type('html').send(invoicePage(inv));
  });

  router.post('/:invoiceId/:action', route('/:invoiceId/:action'), async (req: Request, res: Response) => {
    const action = String(req.params.action);
    if (!Object.hasOwn(ACTIONS, action))
      return sendProblem(res, 404, 'ROUTE.NOT_FOUND', `No sandbox action "${action}"; use pay, fail or expire.`);
    const invoiceId = String(req.params.invoiceId);
    const delivery = await gateway.complete(invoiceId, action as SandboxAction);
    const inv = await gateway.invoice(invoiceId);
    if (!delivery || !inv) return sendProblem(res, 404, 'PAYMENT.INVOICE_NOT_FOUND', 'No such sandbox invoice.');
    noStore(res);
    if (req.accepts(['html', 'json']) === 'json')
      return void res.json({ invoiceId, sent: delivery.sent, webhook: delivery.webhook, status: inv.status });
    res.type('html').send(resultPage(inv, delivery));
  });
  return router;
}
