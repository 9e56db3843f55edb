import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isRole, type Role } from '../../domain/identity/role.js';
import type { ErrorDetail } from '../../domain/shared/domain-error.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object or the function itself.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI template relative to the server base, e.g. /admin/users/{id}. */
  path: string;
  /** The same for express, e.g. /admin/users/:id. */
  expressPath: string;
  /** undefined: public; otherwise the roles allowed (every role when the list is empty). */
  roles: Role[] | undefined;
  /** `x-rate-limit`: auth (credential endpoints) or create (creating resources, counted per user). */
  rateLimit: 'auth' | 'create' | 'render' | 'verify' | undefined;
  hasJsonBody: boolean;
  bodyRequired: boolean;
  /**
   * multipart/form-data operations: file fields (with their max count) and a validator of the text fields.
   * `x-upload-limits` ({maxFileBytes, tooLargeCode}) gives an operation its own file size limit and 413
   * code; without it, the server's upload limit (photos) applies.
   */
  multipart:
    | {
        files: Array<{ name: string; maxCount: number; required: boolean }>;
        validateFields: ValidateFunction;
        maxFileBytes?: number;
        tooLargeCode?: string;
      }
    | undefined;
  validateParams: ValidateFunction;
  validateQuery: ValidateFunction;
  validateBody: ValidateFunction | undefined;
  responses: Record<string, unknown>;
}

export interface ApiSpec {
  document: Record<string, unknown>;
  basePath: string;
  operations: OperationSpec[];
  /** Compiles a validator for a response body of an operation (tests use it). */
  responseValidator(op: OperationSpec, status: number): ValidateFunction | 'undocumented' | 'no-body';
}

const pointer = (...segments: string[]): string =>
  segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export function toExpressPath(p: string): string {
  return p.replace(/\{([^}]+)\}/g, ':$1');
}

/** Literal segments before parameters so that /users/me is never shadowed by /users/{id}. */
export function compareRouteSpecificity(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = (sa[i] as string).startsWith('{');
    const pb = (sb[i] as string).startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return sb.length - sa.length;
}

export function toErrorDetails(errors: ErrorObject[] | null | undefined, prefix: string): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    let path = `${prefix}${e.instancePath}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`;
      message = 'is not allowed';
    } else if (e.keyword === 'required') {
      path = `${path}/${String(e.params.missingProperty)}`;
      message = 'is required';
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
    }
    return { path, message };
  });
}

/** Follows a local JSON pointer ("#/components/...") inside the document. */
function resolvePointer(document: Record<string, unknown>, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, seg) => (node as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')],
      document,
    );
}

/** Re-points local refs of a fragment at the registered document, so the fragment compiles alone. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : rebase(v),
    ]),
  );
}

/** Loads openapi.yaml and compiles a request validator for every operation. */
export function loadApiSpec(file: string): ApiSpec {
  const document = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const servers = (document.servers as Array<{ url: string }> | undefined) ?? [{ url: '/' }];
  const basePath = (servers[0]?.url ?? '/').replace(/\/$/, '');
  const ajvFor = (coerce: boolean): Ajv2020 => {
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
  };
  const strictAjv = ajvFor(false);
  const coercingAjv = ajvFor(true);
  const operations: OperationSpec[] = [];
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;

  for (const [path, item] of Object.entries(paths)) {
    const shared = (item.parameters as ParameterObject[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const params = [...shared, ...((op.parameters as ParameterObject[] | undefined) ?? [])].map((p) =>
        '$ref' in p ? (resolvePointer(document, String((p as { $ref: string }).$ref)) as ParameterObject) : p,
      );
      const group = (where: 'path' | 'query') => {
        const ps = params.filter((p) => p.in === where);
        return coercingAjv.compile({
          type: 'object',
          properties: Object.fromEntries(ps.map((p) => [p.name, rebase(p.schema ?? {})])),
          required: ps.filter((p) => p.required || where === 'path').map((p) => p.name),
          additionalProperties: false,
        });
      };
      const body = op.requestBody as { required?: boolean; content?: Record<string, unknown> } | undefined;
      const hasJsonBody = !!body?.content?.['application/json'];
      const formSchema = (body?.content?.['multipart/form-data'] as { schema?: Record<string, unknown> } | undefined)
        ?.schema;
      let multipart: OperationSpec['multipart'];
      if (formSchema) {
        const props = (formSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
        const required = new Set((formSchema.required as string[] | undefined) ?? []);
        const isBinary = (p: Record<string, unknown>) =>
          p.format === 'binary' || (p.items as Record<string, unknown> | undefined)?.format === 'binary';
        const files = Object.entries(props)
          .filter(([, p]) => isBinary(p))
          .map(([name, p]) => ({
            name,
            maxCount: p.type === 'array' ? Number(p.maxItems ?? 10) : 1,
            required: required.has(name),
          }));
        const fieldProps = Object.fromEntries(Object.entries(props).filter(([, p]) => !isBinary(p)));
        const limits = (op['x-upload-limits'] ?? {}) as { maxFileBytes?: number; tooLargeCode?: string };
        multipart = {
          files,
          ...(typeof limits.maxFileBytes === 'number' ? { maxFileBytes: limits.maxFileBytes } : {}),
          ...(typeof limits.tooLargeCode === 'string' ? { tooLargeCode: limits.tooLargeCode } : {}),
          validateFields: coercingAjv.compile({
            type: 'object',
            properties: rebase(fieldProps) as Record<string, unknown>,
            required: [...required].filter((r) => r in fieldProps),
            additionalProperties: false,
          }),
        };
      }
      const security = op.security as unknown[] | undefined;
      const xRoles = op['x-roles'] as string[] | undefined;
      const roles = security && security.length === 0 ? undefined : (xRoles ?? []).filter(isRole);
      operations.push({
        operationId: String(op.operationId),
        method,
        path,
        expressPath: toExpressPath(path),
        roles,
        rateLimit: (['auth', 'create', 'render', 'verify'] as const).find((k) => k === op['x-rate-limit']),
        hasJsonBody,
        bodyRequired: !!body?.required,
        multipart,
        validateParams: group('path'),
        validateQuery: group('query'),
        validateBody: hasJsonBody
          ? strictAjv.compile({
              $ref: `openapi#/${pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema')}`,
            })
          : undefined,
        responses: (op.responses ?? {}) as Record<string, unknown>,
      });
    }
  }
  operations.sort((a, b) => compareRouteSpecificity(a.path, b.path));

  const responseCache = new Map<string, ValidateFunction | 'undocumented' | 'no-body'>();
  const responseValidator = (op: OperationSpec, status: number): ValidateFunction | 'undocumented' | 'no-body' => {
    const key = `${op.operationId}:${status}`;
    const cached = responseCache.get(key);
    if (cached) return cached;
    const code = String(status) in op.responses ? String(status) : 'default' in op.responses ? 'default' : undefined;
    let result: ValidateFunction | 'undocumented' | 'no-body';
    if (!code) result = 'undocumented';
    else {
      let base = pointer('paths', op.path, op.method, 'responses', code);
      let resp = op.responses[code] as Record<string, unknown>;
      if (typeof resp.$ref === 'string') {
        base = resp.$ref.replace(/^#\//, '');
        resp = resolvePointer(document, resp.$ref) as Record<string, unknown>;
      }
      const content = resp.content as Record<string, unknown> | undefined;
      const media = content ? Object.keys(content)[0] : undefined;
      // Only JSON bodies are checked against a schema; HTML pages and images are not JSON.
      result =
        media && /json/.test(media)
          ? strictAjv.compile({ $ref: `openapi#/${base}/${pointer('content', media, 'schema')}` })
          : 'no-body';
    }
    responseCache.set(key, result);
    return result;
  };

  return { document, basePath, operations, responseValidator };
}
