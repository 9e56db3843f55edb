/**
 * Configuration section of the payment gateway: the local sandbox or Xendit, the webhook token and the
 * invoices.
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** The payment driver, its keys and the invoice settings. */
export const PAYMENTS_ENV = {
  PAYMENT_DRIVER: {
    type: 'string',
    enum: ['sandbox', 'xendit'],
    default: 'sandbox',
    description:
      'Payment gateway: sandbox (a local checkout page at /sandbox/checkout/{invoiceId} that calls our webhook like the real gateway; refused in production) or xendit (invoices API).',
  },
  PAYMENT_WEBHOOK_TOKEN: {
    type: 'string',
    minLength: 16,
    description:
      'Token the gateway sends in x-callback-token with every webhook (Xendit: the callback verification token). Required with PAYMENT_DRIVER=xendit and in production; generated into DATA_DIR/secrets otherwise. Secret: PAYMENT_WEBHOOK_TOKEN_FILE also accepted.',
    secretFile: true,
  },
  XENDIT_SECRET_KEY: {
    type: 'string',
    minLength: 16,
    description:
      'Xendit secret API key (required with PAYMENT_DRIVER=xendit). Secret: XENDIT_SECRET_KEY_FILE also accepted.',
    secretFile: true,
  },
  XENDIT_API_URL: {
    type: 'string',
    pattern: '^https?://',
    default: 'https://api.xendit.co',
    description: 'Xendit API base URL (tests point it at a local server).',
  },
  PAYMENT_INVOICE_TTL_MINUTES: {
    type: 'integer',
    minimum: 5,
    maximum: 10080,
    default: 1440,
    description: 'How long an invoice stays payable.',
  },
  PAYMENT_SUCCESS_URL: {
    type: 'string',
    pattern: '^https?://',
    description: 'Where the gateway sends the payer after paying (default: PUBLIC_BASE_URL).',
  },
  PAYMENT_FAILURE_URL: {
    type: 'string',
    pattern: '^https?://',
    description: 'Where the gateway sends the payer after a failed payment (default: PUBLIC_BASE_URL).',
  },
} as const satisfies EnvSection;

/** The payment part of Config. */
export interface PaymentsConfig {
  payments: {
    driver: 'sandbox' | 'xendit';
    webhookToken: string | undefined;
    xenditSecretKey?: string;
    xenditApiUrl: string;
    invoiceTtlMinutes: number;
    successUrl?: string;
    failureUrl?: string;
  };
}

/** Maps the validated environment into Config.payments. */
export function paymentsConfig(env: EnvValues): PaymentsConfig {
  return {
    payments: {
      driver: env.PAYMENT_DRIVER,
      webhookToken: env.PAYMENT_WEBHOOK_TOKEN,
      xenditSecretKey: env.XENDIT_SECRET_KEY,
      xenditApiUrl: env.XENDIT_API_URL.replace(/\/+$/, ''),
      invoiceTtlMinutes: env.PAYMENT_INVOICE_TTL_MINUTES,
      successUrl: env.PAYMENT_SUCCESS_URL,
      failureUrl: env.PAYMENT_FAILURE_URL,
    },
  };
}

/** Xendit needs its key and webhook token; production refuses the sandbox and a generated webhook token. */
export function paymentsRules(env: EnvValues, profile: Profile): string[] {
  const problems: string[] = [];
  if (env.PAYMENT_DRIVER === 'xendit') {
    if (!env.XENDIT_SECRET_KEY)
      problems.push('XENDIT_SECRET_KEY: required when PAYMENT_DRIVER=xendit (or XENDIT_SECRET_KEY_FILE)');
    if (!env.PAYMENT_WEBHOOK_TOKEN)
      problems.push('PAYMENT_WEBHOOK_TOKEN: required when PAYMENT_DRIVER=xendit (or PAYMENT_WEBHOOK_TOKEN_FILE)');
  }
  // The sandbox's checkout page lets anyone holding an invoice link mark it paid.
  if (profile.production && (env.PAYMENT_DRIVER ?? 'sandbox') === 'sandbox')
    problems.push(`PAYMENT_DRIVER: sandbox is not allowed when ${profile.name} (use xendit)`);
  if (profile.production && !env.PAYMENT_WEBHOOK_TOKEN)
    problems.push(`PAYMENT_WEBHOOK_TOKEN: required when ${profile.name} (or PAYMENT_WEBHOOK_TOKEN_FILE)`);
  return problems;
}
