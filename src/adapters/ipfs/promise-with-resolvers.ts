/**
 * `Promise.withResolvers` (ES2024) for Node 20, which lacks it. The field notes found kubo-rpc-client's
 * stack needing it; the calls KuboIpfs makes with kubo-rpc-client 7.1.0 ran without it on Node 20.20, but
 * its libp2p/multiformats dependencies adopt it in minor releases, where a missing function would fail
 * only at call time in production. Imported before kubo-rpc-client: ESM evaluates imports in order.
 * Node 22+ has the native one, which is left alone.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseWithResolvers = Promise as PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

if (typeof PromiseWithResolvers.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve'];
      let reject!: Resolvers<T>['reject'];
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
