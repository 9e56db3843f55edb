import type { HealthCheck } from '../../../ports/health-check.js';
import type { OperationHandlers } from './types.js';

/**
 * Liveness and readiness. A failing check answers only `error`: the driver's message (host names, ports,
 * versions) goes to the log, never to an anonymous caller.
 */
export function healthHandlers(
  checks: HealthCheck[],
  isDraining: () => boolean,
  onFailure: (name: string, error: unknown) => void = () => undefined,
): OperationHandlers {
  return {
    healthLive: async (_req, res) => {
      res.json({ status: 'ok' });
    },
    healthReady: async (_req, res) => {
      const results: Record<string, string> = {};
      await Promise.all(
        checks.map(async (c) => {
          try {
            await c.check();
            results[c.name] = 'ok';
          } catch (e) {
            results[c.name] = 'error';
            onFailure(c.name, e);
          }
        }),
      );
      const draining = isDraining();
      const ok = !draining && Object.values(results).every((r) => r === 'ok');
      res
        .status(ok ? 200 : 503)
        .setHeader('Cache-Control', 'no-store')
        .json({ status: ok ? 'ok' : draining ? 'draining' : 'unavailable', checks: results });
    },
  };
}
