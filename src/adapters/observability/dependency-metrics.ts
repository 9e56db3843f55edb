import { Counter, Histogram, type Registry } from 'prom-client';
import type { Ipfs } from '../../ports/ipfs.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import { errorCategory } from './error-category.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface CallMetrics {
  calls: Counter<'operation' | 'outcome' | 'error_category'>;
  duration: Histogram<'operation'>;
}

function callMetrics(registry: Registry, subsystem: string, what: string): CallMetrics {
  return {
    calls: new Counter({
      name: `car_dano_${subsystem}_operations_total`,
      help: `${what} calls by operation and outcome (success, error), failures by category (network, timeout, auth, quota, not_found, other; none on success).`,
      labelNames: ['operation', 'outcome', 'error_category'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: `car_dano_${subsystem}_operation_duration_seconds`,
      help: `${what} call duration by operation (success or not).`,
      labelNames: ['operation'] as const,
      buckets: BUCKETS,
      registers: [registry],
    }),
  };
}

/**
 * `target` with each method of `operations` (method name → operation label) timed and counted; every other
 * property (driver, extra methods) passes through unchanged. `onSuccess` sees each successful call.
 */
function instrument<T extends object>(
  target: T,
  m: CallMetrics,
  operations: Record<string, string>,
  onSuccess: (method: string, args: unknown[], result: unknown) => void = () => undefined,
): T {
  for (const operation of Object.values(operations))
    m.calls.inc({ operation, outcome: 'success', error_category: 'none' }, 0);
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      const operation = typeof prop === 'string' ? operations[prop] : undefined;
      if (typeof value !== 'function') return value;
      if (!operation) return (value as (...a: unknown[]) => unknown).bind(t);
      return async (...args: unknown[]) => {
        const end = m.duration.startTimer({ operation });
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          m.calls.inc({ operation, outcome: 'success', error_category: 'none' });
          onSuccess(prop as string, args, result);
          return result;
        } catch (e) {
          m.calls.inc({ operation, outcome: 'error', error_category: errorCategory(e) });
          throw e;
        } finally {
          end();
        }
      };
    },
  });
}

/**
 * Object storage with `car_dano_storage_operations_total`, `car_dano_storage_operation_duration_seconds`
 * and `car_dano_storage_bytes_total{operation="put"}` (bytes stored). Signing a URL is local: not counted.
 */
export function instrumentStorage(storage: ObjectStorage, registry: Registry): ObjectStorage {
  const bytes = new Counter({
    name: 'car_dano_storage_bytes_total',
    help: 'Bytes written to object storage by successful puts.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const m = callMetrics(registry, 'storage', 'Object storage');
  return instrument(
    storage,
    m,
    { put: 'put', get: 'get', head: 'head', delete: 'delete', list: 'list' },
    (method, _args, result) => {
      if (method === 'put') bytes.inc({ operation: 'put' }, (result as { size: number }).size);
    },
  );
}

/** The IPFS node with `car_dano_ipfs_operations_total` and `car_dano_ipfs_operation_duration_seconds`. */
export function instrumentIpfs(ipfs: Ipfs, registry: Registry): Ipfs {
  return instrument(ipfs, callMetrics(registry, 'ipfs', 'IPFS'), {
    add: 'add',
    cat: 'cat',
    isPinned: 'pin_check',
    unpin: 'unpin',
  });
}
