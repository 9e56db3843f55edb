import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isRole, type Role } from '../../domain/identity/role.js';
import type { ErrorDetail } from '../../domain/shared/domain-error.js';
import {
  ajvFor,
  parameterValidator,
  pointer,
  rebase,
  resolvePointer,
  type ParameterObject,
} from './openapi-schemas.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

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

type ResponseCheck = ValidateFunction | 'undocumented' | 'no-body';
type Operation = Record<string, unknown>;

/** The files and text fields of a multipart/form-data body, with the operation's `x-upload-limits`. */
function multipartOf(op: Operation, formSchema: Record<string, unknown>, ajv: Ajv2020): OperationSpec['multipart'] {
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
  return {
    files,
    ...(typeof limits.maxFileBytes === 'number' ? { maxFileBytes: limits.maxFileBytes } : {}),
    ...(typeof limits.tooLargeCode === 'string' ? { tooLargeCode: limits.tooLargeCode } : {}),
    validateFields: ajv.compile({
      type: 'object',
      properties: rebase(fieldProps) as Record<string, unknown>,
      required: [...required].filter((r) => r in fieldProps),
      additionalProperties: false,
    }),
  };
}

/** One operation of the document with its validators compiled. */
function operationOf(
  document: Record<string, unknown>,
  ajvs: { strict: Ajv2020; coercing: Ajv2020 },
  at: { path: string; method: HttpMethod; shared: ParameterObject[] },
  op: Operation,
): OperationSpec {
  const { path, method } = at;
  const params = [...at.shared, ...((op.parameters as ParameterObject[] | undefined) ?? [])].map((p) =>
    '$ref' in p ? (resolvePointer(document, String((p as { $ref: string }).$ref)) as ParameterObject) : p,
  );
  const body = op.requestBody as { required?: boolean; content?: Record<string, unknown> } | undefined;
  const hasJsonBody = !!body?.content?.['application/json'];
  const formSchema = (body?.content?.['multipart/form-data'] as { schema?: Record<string, unknown> } | undefined)
    ?.schema;
  const multipart = formSchema ? multipartOf(op, formSchema, ajvs.coercing) : undefined;
  const security = op.security as unknown[] | undefined;
  const xRoles = op['x-roles'] as string[] | undefined;
  return {
    operationId: String(op.operationId),
    method,
    path,
    expressPath: toExpressPath(path),
    roles: security && security.length === 0 ? undefined : (xRoles ?? []).filter(isRole),
    rateLimit: (['auth', 'create', 'render', 'verify'] as const).find((k) => k === op['x-rate-limit']),
    hasJsonBody,
    bodyRequired: !!body?.required,
    multipart,
    validateParams: parameterValidator(ajvs.coercing, params, 'path'),
    validateQuery: parameterValidator(ajvs.coercing, params, 'query'),
    validateBody: hasJsonBody
      ? ajvs.strict.compile({
          $ref: `openapi#/${pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema')}`,
        })
      : undefined,
    responses: (op.responses ?? {}) as Record<string, unknown>,
  };
}

/** ApiSpec.responseValidator: compiled on first use per operation and status, then cached. */
function responseValidatorOf(document: Record<string, unknown>, ajv: Ajv2020): ApiSpec['responseValidator'] {
  const cache = new Map<string, ResponseCheck>();
  const compile = (op: OperationSpec, status: number): ResponseCheck => {
    const code = String(status) in op.responses ? String(status) : 'default' in op.responses ? 'default' : undefined;
    if (!code) return 'undocumented';
    let base = pointer('paths', op.path, op.method, 'responses', code);
    let resp = op.responses[code] as Record<string, unknown>;
    if (typeof resp.$ref === 'string') {
      base = resp.$ref.replace(/^#\//, '');
      resp = resolvePointer(document, resp.$ref) as Record<string, unknown>;
    }
    const content = resp.content as Record<string, unknown> | undefined;
    const media = content ? Object.keys(content)[0] : undefined;
    // Only JSON bodies are checked against a schema; HTML pages and images are not JSON.
    return media && /json/.test(media)
      ? ajv.compile({ $ref: `openapi#/${base}/${pointer('content', media, 'schema')}` })
      : 'no-body';
  };
  return (op, status) => {
    const key = `${op.operationId}:${status}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const result = compile(op, status);
    cache.set(key, result);
    return result;
  };
}

/** Loads openapi.yaml and compiles a request validator for every operation. */
export function loadApiSpec(file: string): ApiSpec {
  const document = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const servers = (document.servers as Array<{ url: string }> | undefined) ?? [{ url: '/' }];
  const basePath = (servers[0]?.url ?? '/').replace(/\/$/, '');
  const ajvs = { strict: ajvFor(document, false), coercing: ajvFor(document, true) };
  const operations: OperationSpec[] = [];
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(paths)) {
    const shared = (item.parameters as ParameterObject[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op) operations.push(operationOf(document, ajvs, { path, method, shared }, op));
    }
  }
  operations.sort((a, b) => compareRouteSpecificity(a.path, b.path));
  return { document, basePath, operations, responseValidator: responseValidatorOf(document, ajvs.strict) };
}
