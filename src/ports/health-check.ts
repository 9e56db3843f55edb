export interface HealthCheck {
  /** Name shown in the readiness report, e.g. "database". */
  readonly name: string;
  /** Resolves when the dependency answers; rejects with a short reason otherwise. */
  check(): Promise<void>;
}
export const HealthCheck = Symbol('HealthCheck');
