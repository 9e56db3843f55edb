import { expect } from 'chai';
import { runDocGate, type SourceText } from '../../../scripts/lib/doc-gate.js';

/** Shared parts of the sample specs: a problem schema and the shared error responses, all documented. */
const problem = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  properties: { code: { type: 'string', description: 'Stable machine-readable code.' } },
};
const errorResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: { code: 'X' } } },
});
const errors = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '500': { $ref: '#/components/responses/InternalError' },
};

/** A documented operation: GET /widgets/{id}, secured, answering a Widget. */
function documentedOperation(): Record<string, unknown> {
  return {
    tags: ['Widgets'],
    operationId: 'getWidget',
    summary: 'One widget',
    description: 'Any authenticated user.',
    parameters: [
      {
        name: 'id',
        in: 'path',
        required: true,
        description: 'The widget id.',
        schema: { type: 'string', format: 'uuid' },
      },
    ],
    responses: {
      '200': {
        description: 'The widget.',
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/Widget' }, example: { id: 'w1', colour: 'red' } },
        },
      },
      ...errors,
    },
  };
}

function documentedSpec(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    security: [{ bearerAuth: [] }],
    paths: { '/widgets/{id}': { get: documentedOperation() } },
    components: {
      schemas: {
        Problem: problem,
        Colour: { type: 'string', enum: ['red', 'blue'], description: 'Paint colour.' },
        Widget: {
          type: 'object',
          properties: {
            id: { type: 'string', description: 'The widget id.' },
            // A $ref property is described by its target (Colour has a description).
            colour: { $ref: '#/components/schemas/Colour' },
          },
        },
      },
      responses: {
        BadRequest: errorResponse('Bad input.'),
        Unauthorized: errorResponse('No credentials.'),
        InternalError: errorResponse('Our fault.'),
      },
    },
  };
}

const documentedPort: SourceText = {
  path: 'src/ports/widget-store.ts',
  text: `export interface WidgetStore {
  /** The widget, or null when there is none. */
  find(id: string): Promise<string | null>;
  /** Removes it; false when missing. */
  readonly remove: (id: string) => Promise<boolean>;
  /** Not a method: properties are not checked. */
  readonly driver: string;
}
export const WidgetStore = Symbol('WidgetStore');
`,
};

const documentedUseCase: SourceText = {
  path: 'src/application/widgets/get-widget.ts',
  text: `/** GET /widgets/{id}: one widget. Errors: WIDGET.NOT_FOUND. */
export class GetWidget {
  async execute(id: string): Promise<string> {
    return id;
  }
}
/** Helpers without a public method are not use cases. */
export class WidgetError extends Error {}
class Internal {
  run(): void {}
}
`,
};

const gate = (spec: Record<string, unknown>, sources: SourceText[] = [documentedPort, documentedUseCase]) =>
  runDocGate({ spec, specPath: 'openapi.yaml', sources });

describe('documentation gate (make lint)', () => {
  it('passes a fully documented sample and counts what it checked', () => {
    const result = gate(documentedSpec());
    expect(result.problems).to.deep.equal([]);
    expect(result.stats).to.deep.equal({
      operations: 1,
      operationsComplete: 1,
      properties: 3,
      propertiesDescribed: 3,
      portMethods: 2,
      portMethodsDocumented: 2,
      useCases: 1,
      useCasesDocumented: 1,
    });
  });

  it('reports an undocumented operation: no tags, summary, description, example, 400, 401 or 500', () => {
    const spec = documentedSpec();
    spec.paths = {
      '/widgets': {
        post: {
          operationId: 'createWidget',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } },
          responses: {
            '201': {
              description: 'Created.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } },
            },
          },
        },
      },
    };
    const { problems, stats } = gate(spec);
    expect(problems).to.deep.equal([
      'openapi.yaml POST /widgets: operation has no tags',
      'openapi.yaml POST /widgets: operation has no summary',
      'openapi.yaml POST /widgets: operation has no description',
      'openapi.yaml POST /widgets: response 201 (application/json) has no example',
      'openapi.yaml POST /widgets: operation does not declare its 500 response',
      'openapi.yaml POST /widgets: secured operation does not declare its 401 response',
      'openapi.yaml POST /widgets: operation takes input but does not declare its 400 response',
    ]);
    expect(stats.operationsComplete).to.equal(0);
  });

  it('reports an operation without any success response', () => {
    const spec = documentedSpec();
    const op = documentedOperation();
    op.responses = { ...errors };
    spec.paths = { '/widgets/{id}': { get: op } };
    expect(gate(spec).problems).to.deep.equal(['openapi.yaml GET /widgets/{id}: operation has no 2xx response']);
  });

  it('accepts an example on the response schema, and needs none for non-JSON bodies or public operations without input', () => {
    const spec = documentedSpec();
    const schemas = (spec.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    (schemas.Widget as Record<string, unknown>).example = { id: 'w1', colour: 'blue' };
    spec.paths = {
      '/widgets/{id}': {
        get: {
          ...documentedOperation(),
          responses: {
            '200': {
              description: 'The widget.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } },
            },
            ...errors,
          },
        },
      },
      '/widgets/{id}/pdf': {
        parameters: [
          { name: 'id', in: 'path', required: true, description: 'The widget id.', schema: { type: 'string' } },
        ],
        get: {
          ...documentedOperation(),
          parameters: undefined,
          responses: {
            '200': {
              description: 'The PDF.',
              content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errors,
          },
        },
      },
      '/ping': {
        get: {
          tags: ['Health'],
          summary: 'Ping',
          description: 'Public.',
          security: [],
          responses: { '204': { description: 'Pong.' }, '500': errors['500'] },
        },
      },
    };
    expect(gate(spec).problems).to.deep.equal([]);
  });

  it('reports a schema property without a description, inline or in components, with its path', () => {
    const spec = documentedSpec();
    const schemas = (spec.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    (schemas.Widget as { properties: Record<string, unknown> }).properties.size = { type: 'integer' };
    (schemas.Widget as { properties: Record<string, unknown> }).properties.parts = {
      type: 'array',
      description: 'Its parts.',
      items: { type: 'object', properties: { name: { type: 'string' } } },
    };
    const op = documentedOperation();
    op.requestBody = {
      content: {
        'application/json': {
          schema: { type: 'object', properties: { note: { type: 'string' } } },
          example: { note: 'x' },
        },
      },
    };
    spec.paths = { '/widgets/{id}': { put: op } };
    const { problems, stats } = gate(spec);
    expect(problems).to.deep.equal([
      'openapi.yaml #/components/schemas/Widget: property size has no description',
      'openapi.yaml #/components/schemas/Widget: property parts[].name has no description',
      'openapi.yaml PUT /widgets/{id} request body (application/json): property note has no description',
    ]);
    expect(stats).to.include({ properties: 7, propertiesDescribed: 4 });
  });

  it('counts a $ref property as described only when its target is, or when it carries its own description', () => {
    const spec = documentedSpec();
    const schemas = (spec.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    delete (schemas.Colour as Record<string, unknown>).description;
    expect(gate(spec).problems).to.deep.equal([
      'openapi.yaml #/components/schemas/Widget: property colour has no description (neither has its $ref target #/components/schemas/Colour)',
    ]);
    (schemas.Widget as { properties: Record<string, Record<string, unknown>> }).properties.colour = {
      $ref: '#/components/schemas/Colour',
      description: 'Body colour.',
    };
    expect(gate(spec).problems).to.deep.equal([]);
  });

  it('reports a parameter without a description', () => {
    const spec = documentedSpec();
    const op = documentedOperation();
    op.parameters = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
    spec.paths = { '/widgets/{id}': { get: op } };
    expect(gate(spec).problems).to.deep.equal([
      'openapi.yaml GET /widgets/{id}: parameter id (path) has no description',
    ]);
  });

  it('reports a port method without a doc comment (a line comment does not count), with file and line', () => {
    const port: SourceText = {
      path: 'src/ports/widget-store.ts',
      text: `import type { Widget } from '../domain/widget.js';

export interface WidgetStore {
  /** The widget, or null. */
  find(id: string): Promise<Widget | null>;
  // Stores it.
  save(widget: Widget): Promise<void>;
  readonly count: () => Promise<number>;
}
interface NotExported {
  hidden(): void;
}
`,
    };
    const { problems, stats } = gate(documentedSpec(), [port, documentedUseCase]);
    expect(problems).to.deep.equal([
      'src/ports/widget-store.ts:7 port method WidgetStore.save has no doc comment',
      'src/ports/widget-store.ts:8 port method WidgetStore.count has no doc comment',
    ]);
    expect(stats).to.include({ portMethods: 3, portMethodsDocumented: 1 });
  });

  it('reports a use case without a doc comment, also when exported by name; an empty /** */ does not count', () => {
    const useCases: SourceText = {
      path: 'src/application/widgets/widgets.ts',
      text: `export class ListWidgets {
  execute(): string[] {
    return [];
  }
}

/** */
export class PaintWidget {
  async execute(id: string, colour: string): Promise<string> {
    return id + colour;
  }
  private helper(): void {}
}

class ArchiveWidget {
  run(): void {}
}
export { ArchiveWidget };
`,
    };
    const { problems, stats } = gate(documentedSpec(), [documentedPort, useCases]);
    expect(problems).to.deep.equal([
      'src/application/widgets/widgets.ts:1 use case ListWidgets (execute) has no doc comment',
      'src/application/widgets/widgets.ts:8 use case PaintWidget (execute) has no doc comment',
      'src/application/widgets/widgets.ts:15 use case ArchiveWidget (run) has no doc comment',
    ]);
    expect(stats).to.include({ useCases: 3, useCasesDocumented: 0 });
  });

  it('checks only src/ports/*.ts and src/application/**: adapters and nested port folders are not ports', () => {
    const undocumented = `export interface Store {\n  find(id: string): string;\n}\nexport class Thing {\n  run(): void {}\n}\n`;
    const sources = ['src/adapters/memory/store.ts', 'src/ports/nested/store.ts', 'src/domain/thing.ts'].map(
      (path) => ({ path, text: undocumented }),
    );
    expect(gate(documentedSpec(), sources).problems).to.deep.equal([]);
  });
});
