import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object or the function itself.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

/** A parameter object of openapi.yaml ($refs resolved). */
export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

/** A JSON pointer of the segments (each escaped). */
export const pointer = (...segments: string[]): string =>
  segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Follows a local JSON pointer ("#/components/...") inside the document. */
export function resolvePointer(document: Record<string, unknown>, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, seg) => (node as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')],
      document,
    );
}

/** Re-points local refs of a fragment at the registered document, so the fragment compiles alone. */
export function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : rebase(v),
    ]),
  );
}

/** An Ajv holding the whole document as "openapi" (fragments point into it); `coerce` for parameters and forms. */
export function ajvFor(document: Record<string, unknown>, coerce: boolean): Ajv2020 {
  // ownProperties: validation never reads a property a prototype supplies.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    ownProperties: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: coerce,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  ajv.addSchema({ ...document, $id: 'openapi' } as never);
  return ajv;
}

/** A validator of an operation's path or query parameters (path parameters are always required). */
export function parameterValidator(ajv: Ajv2020, params: ParameterObject[], where: 'path' | 'query'): ValidateFunction {
  const ps = params.filter((p) => p.in === where);
  return ajv.compile({
    type: 'object',
    properties: Object.fromEntries(ps.map((p) => [p.name, rebase(p.schema ?? {})])),
    required: ps.filter((p) => p.required || where === 'path').map((p) => p.name),
    additionalProperties: false,
  });
}
