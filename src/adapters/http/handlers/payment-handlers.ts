import type { CreateRequestPayment } from '../../../application/payments/create-request-payment.js';
import type { HandlePaymentWebhook } from '../../../application/payments/handle-payment-webhook.js';
import type { ListMyPayments } from '../../../application/payments/list-my-payments.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const pageOf = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });

/** The use cases these handlers call. */
export interface PaymentUseCases {
  createRequestPayment: CreateRequestPayment;
  handlePaymentWebhook: HandlePaymentWebhook;
  listMyPayments: ListMyPayments;
}

/** Payments: request invoices, the customer's payments and the gateway webhook. */
export function paymentHandlers(uc: PaymentUseCases): OperationHandlers {
  return {
    createRequestPayment: async (_req, res) => {
      const r = await uc.createRequestPayment.execute(actorOf(res), String(validOf(res).params.id));
      res.status(r.created ? 201 : 200).json(r.payment);
    },
    listMyPayments: async (_req, res) => {
      res.json(await uc.listMyPayments.execute(actorOf(res), pageOf(validOf(res).query)));
    },
    receivePaymentWebhook: async (req, res) => {
      const v = validOf(res);
      res.json(
        await uc.handlePaymentWebhook.execute({
          gateway: String(v.params.gateway),
          headers: req.headers,
          body: v.body,
        }),
      );
    },
  };
}
