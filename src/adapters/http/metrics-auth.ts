import { timingSafeEqual } from 'node:crypto';

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Whether a request may read /metrics: always without a token configured, else only with "Bearer <token>". */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  return !token || safeEqual(authorization ?? '', `Bearer ${token}`);
}
