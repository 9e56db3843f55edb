import type { ContainerModule } from 'inversify';
import { paymentHandlers } from '../../../adapters/http/handlers/payment-handlers.js';
import { CreateRequestPayment } from '../../../application/payments/create-request-payment.js';
import { HandlePaymentWebhook } from '../../../application/payments/handle-payment-webhook.js';
import { ListMyPayments } from '../../../application/payments/list-my-payments.js';
import { PaymentRepository } from '../../../ports/payments.js';
import { featureModule } from '../feature-module.js';
import { paymentDeps } from './deps.js';

/** Payments: invoices for inspection requests through the gateway and its webhook. */
export const paymentsFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(CreateRequestPayment, (g) => new CreateRequestPayment(paymentDeps(g)));
    b.factory(ListMyPayments, (g) => new ListMyPayments(g(PaymentRepository)));
    b.factory(HandlePaymentWebhook, (g) => new HandlePaymentWebhook(paymentDeps(g)));
    b.handlers((g) =>
      paymentHandlers({
        createRequestPayment: g(CreateRequestPayment),
        handlePaymentWebhook: g(HandlePaymentWebhook),
        listMyPayments: g(ListMyPayments),
      }),
    );
  });
