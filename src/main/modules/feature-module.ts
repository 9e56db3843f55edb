import { ContainerModule, type ServiceIdentifier } from 'inversify';
import type { OperationHandlers } from '../../adapters/http/handlers/types.js';
import { Tokens } from '../tokens.js';

/** Resolves a binding of the container (a port, a use case, a token). */
export type Get = <U>(id: ServiceIdentifier<U>) => U;

/** What a feature module binds: its use cases (and services) and its HTTP handlers. */
export interface FeatureBinder {
  /** Binds a use case to a factory naming its ports; one instance per container (use cases carry no decorators). */
  factory<T>(id: ServiceIdentifier<T>, make: (get: Get) => T): void;
  /** Binds this feature's HTTP handlers, built from the use cases they call and nothing else. */
  handlers(make: (get: Get) => OperationHandlers): void;
}

/**
 * A feature as one container module: its use cases and its handlers side by side, so adding a use case and
 * its endpoint touches the feature's folder, its module and openapi.yaml only.
 */
export function featureModule(register: (b: FeatureBinder) => void): ContainerModule {
  return new ContainerModule(({ bind }) => {
    register({
      factory: (id, make) => {
        bind(id)
          .toDynamicValue((ctx) => make((x) => ctx.get(x)))
          .inSingletonScope();
      },
      handlers: (make) => {
        bind(Tokens.OperationHandlers)
          .toDynamicValue((ctx) => make((x) => ctx.get(x)))
          .inSingletonScope();
      },
    });
  });
}
