import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { mergeHandlers, type OperationHandlers } from '../../../src/adapters/http/handlers/types.js';
import { buildHttpApp } from '../../../src/main/http-app.js';
import { buildContainer } from '../../../src/main/container.js';
import { Tokens } from '../../../src/main/tokens.js';
import { testConfig } from '../../support/config.js';
import { memoryLogger } from '../../support/logs.js';

const noop = async (): Promise<void> => undefined;

/** The app of a memory container, with `overrides` applied (here: extra handler bindings). */
function appWith(overrides: ContainerModule[] = []) {
  const config = testConfig();
  const { logger } = memoryLogger();
  const container = buildContainer({ config, logger, overrides });
  return { container, build: () => buildHttpApp(container, config, logger) };
}

describe('HTTP handlers: one per OpenAPI operation, from the feature modules', () => {
  it("merges the features' handlers and refuses an operation handled twice", () => {
    const a: OperationHandlers = { listThings: noop, getThing: noop };
    expect(Object.keys(mergeHandlers([a, { createThing: noop }]))).to.have.members([
      'listThings',
      'getThing',
      'createThing',
    ]);
    expect(() => mergeHandlers([a, { getThing: noop }])).to.throw('more than one handler for [getThing]');
  });

  it('every operation of openapi.yaml has exactly one handler, and every feature binds some', () => {
    const { container, build } = appWith();
    const groups = container.getAll(Tokens.OperationHandlers);
    expect(groups.length, 'one handler group per feature module').to.be.greaterThanOrEqual(12);
    for (const g of groups) expect(Object.keys(g)).to.not.be.empty;
    const ids = container.get(Tokens.ApiSpec).operations.map((o) => o.operationId);
    const bound = groups.flatMap((g) => Object.keys(g));
    // The health operations are the app's own (they read the draining flag and the checks).
    expect(new Set(bound).size, 'no operation bound twice').to.equal(bound.length);
    expect(ids.filter((id) => !bound.includes(id))).to.have.members(['healthLive', 'healthReady']);
    expect(() => build()).to.not.throw();
  });

  it('refuses to start when a feature handles an operation another already handles, or one not in the spec', () => {
    const twice = new ContainerModule(({ bind }) => {
      bind(Tokens.OperationHandlers).toConstantValue({ getQuote: noop });
    });
    expect(() => appWith([twice]).build()).to.throw('more than one handler for [getQuote]');
    const stray = new ContainerModule(({ bind }) => {
      bind(Tokens.OperationHandlers).toConstantValue({ notInTheSpec: noop });
    });
    expect(() => appWith([stray]).build()).to.throw(/not in openapi.yaml: \[notInTheSpec\]/);
  });
});
