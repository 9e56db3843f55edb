import { ContainerModule } from 'inversify';
import { loadApiSpec } from '../../adapters/http/openapi.js';
import { Tokens } from '../tokens.js';
import { OPENAPI_FILE } from './paths.js';

/** The HTTP contract: openapi.yaml, parsed and compiled once per container (the handlers come from the features). */
export function httpModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.ApiSpec).toConstantValue(loadApiSpec(OPENAPI_FILE));
  });
}
