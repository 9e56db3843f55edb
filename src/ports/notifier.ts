/** PAYMENT_ANOMALY: a gateway callback that does not match our record, or money for something already settled. */
export type AlertKind = 'JOB_FAILED' | 'BREAKER_OPEN' | 'MINT_STUCK' | 'QUEUE_BACKLOG' | 'PAYMENT_ANOMALY';

export interface Alert {
  kind: AlertKind;
  severity: 'warning' | 'critical';
  /** One line for a human. */
  title: string;
  /** Identifies the subject; alerts with the same kind and key are not repeated within the quiet period. */
  key: string;
  details: Record<string, unknown>;
}

export interface Notifier {
  /** Delivers an alert to operators. Never throws: a failed delivery is logged, the caller carries on. */
  notify(alert: Alert): Promise<void>;
}

export const Notifier = Symbol('Notifier');
