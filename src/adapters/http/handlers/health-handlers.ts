import type { HealthCheck } from '../../../ports/health-check.js';
import type { OperationHandlers } from './types.js';

export function healthHandlers(checks: HealthCheck[], isDraining: () => boolean): OperationHandlers {
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
            results[c.name] = `error: ${e instanceof Error ? e.message : String(e)}`;
          }
        }),
      );
      const draining = isDraining();
      const ok = !draining && Object.values(results).every((r) => r === 'ok');
      res.status(ok ? 200 : 503).setHeader('Cache-Control', 'no-store').json({ status: ok ? 'ok' : draining ? 'draining' : 'unavailable', checks: results });
    },
  };
}
