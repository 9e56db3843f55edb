/**
 * Request generation for one operation of openapi.yaml and one caller: valid requests from the schemas
 * (path parameters, query, JSON or multipart body), and hostile ones (mutated bodies, malformed JSON or
 * multipart, wrong content types and encodings, malformed path parameters, bogus query parameters, other
 * methods, noisy paths, ids of other users' resources). A request is a plain description; the runner sends it.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import type { OperationSpec } from '../../../src/adapters/http/openapi.js';
import type { Role } from '../../../src/domain/identity/role.js';
import { fakeImageBytes, imageBytes } from '../inspections.js';
import {
  BAD_AUTH,
  BAD_PATH_PARAMS,
  BAD_QUERIES,
  BODY_MUTATIONS,
  mutateBody,
  UNICODE_STRINGS,
  deep,
  type BodyMutation,
} from './hostile.js';
import { fromPlain, JObj, obj, stringify, type J } from './json.js';
import { multipartBody, type Part } from './multipart.js';
import { SchemaGen, type Hints, type Schema } from './schema.js';

export type Principal = 'anonymous' | Role | 'forged';

export interface FuzzRequest {
  op: string;
  principal: Principal;
  /** valid, or the mutation applied. */
  kind: string;
  note: string;
  method: string;
  /** Path with its query string, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  /** 'principal': the caller's bearer token; 'none'; or a literal Authorization header. */
  auth: 'principal' | 'none' | string;
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
  /** Bytes written to the socket as they are (requests no HTTP client would send); the rest is a label. */
  raw?: Buffer;
}

export interface Pools {
  ids: {
    users: string[];
    /** Users the fuzzer may deactivate, re-role or re-PIN: never one of its callers. */
    manageableUsers: string[];
    customers: string[];
    branches: string[];
    inspections: string[];
    /** Inspections that only deleteInspection gets (deleting the shared ones would starve the rest). */
    victimInspections: string[];
    photos: string[];
    changes: string[];
    reportJobs: string[];
    vehicles: string[];
    victimVehicles: string[];
    requests: string[];
    packages: string[];
    payments: string[];
  };
  /** [inspectionId, photoId] of the same inspection; victims: only for deletePhoto. */
  photoPairs: Array<[string, string]>;
  victimPhotoPairs: Array<[string, string]>;
  changePairs: Array<[string, string]>;
  /** Ids of resources that belong to other users than the callers. */
  foreign: string[];
  reportTargets: Array<{ id: string; variant: string; token: string; photoIds: string[] }>;
  prettyIds: string[];
  invoiceIds: string[];
  amounts: number[];
  loginEmails: string[];
  loginPassword: string;
  inspectorEmails: string[];
  inspectorPins: string[];
  refreshTokens: string[];
  currentPassword: string;
  webhookToken: string;
  /** More Authorization headers that must not work (a revoked session's token, a deactivated user's). */
  deadTokens: string[];
  /**
   * Bodies known to be accepted (built from the fixtures), per operation: most hostile mutations start from
   * one of them, so that the mutation is the only thing wrong with the request and reaches the handler.
   */
  goodBodies: Record<string, unknown[]>;
}

interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface OpDoc {
  pathParams: Param[];
  queryParams: Param[];
  json?: Schema;
  form?: Schema;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const JSON_KINDS = [
  ...BODY_MUTATIONS,
  'malformed-json',
  'wrong-content-type',
  'invalid-utf8',
  'content-encoding',
  'dup-keys',
  'empty-body',
  'chunked',
] as const;
const MULTIPART_KINDS = [
  'mp-junk-file',
  'mp-fake-image',
  'mp-empty-file',
  'mp-pdf-as-photo',
  'mp-too-many-files',
  'mp-wrong-field',
  'mp-hostile-fields',
  'mp-no-boundary',
  'mp-wrong-boundary',
  'mp-truncated',
  'mp-huge-field',
  'mp-many-fields',
  'mp-proto-field-name',
  'mp-evil-filename',
  'mp-oversize-file',
  'mp-json-instead',
  'mp-file-as-text',
  'mp-duplicate-field',
] as const;
const ANY_KINDS = ['bogus-query', 'method-swap', 'path-noise'] as const;

const pick = <T>(list: readonly T[], n: number): T => list[Math.abs(n) % list.length] as T;

export class RequestFactory {
  private readonly docs = new Map<string, OpDoc>();
  private readonly gens = new Map<string, SchemaGen>();

  constructor(
    private readonly document: Record<string, unknown>,
    private readonly basePath: string,
    private readonly pools: Pools,
    /** Largest photo the server accepts (PHOTO_MAX_MB): an oversize file is one byte more. */
    private readonly maxPhotoBytes: number,
  ) {}

  private resolve(x: unknown): Record<string, unknown> {
    let v = x as Record<string, unknown>;
    while (typeof v?.$ref === 'string') {
      v = (v.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((n, seg) => (n as Record<string, unknown>)[seg], this.document) as Record<string, unknown>;
    }
    return v;
  }

  opDoc(op: OperationSpec): OpDoc {
    const known = this.docs.get(op.operationId);
    if (known) return known;
    const item = (this.document.paths as Record<string, Record<string, unknown>>)[op.path] as Record<string, unknown>;
    const o = item[op.method] as Record<string, unknown>;
    const params = [...((item.parameters as unknown[]) ?? []), ...((o.parameters as unknown[]) ?? [])].map(
      (p) => this.resolve(p) as unknown as Param,
    );
    const content = (this.resolve(o.requestBody ?? {}).content ?? {}) as Record<string, { schema?: Schema }>;
    const d: OpDoc = {
      pathParams: params.filter((p) => p.in === 'path'),
      queryParams: params.filter((p) => p.in === 'query'),
      json: content['application/json']?.schema,
      form: content['multipart/form-data']?.schema,
    };
    this.docs.set(op.operationId, d);
    return d;
  }

  private gen(op: OperationSpec): SchemaGen {
    let g = this.gens.get(op.operationId);
    if (!g) this.gens.set(op.operationId, (g = new SchemaGen(this.document, this.hints(op))));
    return g;
  }

  /** Property names that draw from the fixtures (so bodies name real, and other users', resources). */
  private hints(op: OperationSpec): Hints {
    const p = this.pools;
    const from = (list: readonly J[]) => (list.length > 0 ? fc.constantFrom(...list) : undefined);
    const webhook = op.operationId === 'receivePaymentWebhook';
    const login = op.operationId === 'login';
    return (name) => {
      switch (name) {
        case 'customerId':
        case 'customerUserId':
          return from(p.ids.customers);
        case 'vehicleId':
        case 'customerVehicleId':
          return from(p.ids.vehicles);
        case 'inspectionId':
          return from(p.ids.inspections);
        case 'assigneeId':
          return from(p.ids.users);
        case 'packageId':
          return from(p.ids.packages);
        case 'branchCityId':
          return from(p.ids.branches);
        case 'id':
          return webhook ? from(p.invoiceIds) : from(p.ids.inspections);
        case 'photoId':
          return from(p.ids.photos);
        case 'photoIds': {
          // Every photo of one inspection (reorderPhotos wants exactly those), in some order.
          const lists = [...new Set(p.photoPairs.map(([i]) => i))].map((i) =>
            p.photoPairs.filter(([x]) => x === i).map(([, ph]) => ph),
          );
          return lists.length > 0
            ? fc
                .constantFrom(...lists)
                .chain((l) => fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }))
            : undefined;
        }
        case 'prettyId':
          return from(p.prettyIds);
        case 'external_id':
          return webhook ? from(p.ids.payments) : undefined;
        case 'amount':
        case 'paid_amount':
          return webhook ? from(p.amounts) : undefined;
        case 'currency':
          return webhook ? fc.constantFrom('IDR', 'USD') : undefined;
        case 'status':
          return webhook ? fc.constantFrom('PAID', 'SETTLED', 'EXPIRED', 'FAILED', 'PENDING') : undefined;
        case 'identifier':
          return login ? from(p.loginEmails) : undefined;
        case 'email':
          return login
            ? from(p.loginEmails)
            : op.operationId === 'loginInspector'
              ? from(p.inspectorEmails)
              : undefined;
        case 'password':
          return login ? fc.constant(p.loginPassword) : undefined;
        case 'pin':
          return from(p.inspectorPins);
        case 'refreshToken':
          return from(p.refreshTokens);
        case 'currentPassword':
          return fc.constant(p.currentPassword);
        default:
          return undefined;
      }
    };
  }

  /** The pool a path parameter draws from. */
  private pathPool(op: OperationSpec, name: string): string[] {
    const p = this.pools.ids;
    const path = op.path;
    if (name === 'gateway') return ['sandbox', 'sandbox', 'sandbox', 'sandbox', 'xendit', 'paypal', 'SANDBOX'];
    if (name === 'variant') return ['full', 'no-docs', 'FULL', 'docs'];
    if (name === 'changeId') return p.changes;
    if (name === 'photoId')
      return op.operationId === 'deletePhoto' ? this.pools.victimPhotoPairs.map(([, ph]) => ph) : p.photos;
    if (path.startsWith('/admin/users/')) return op.operationId === 'getUser' ? p.users : p.manageableUsers;
    if (path.startsWith('/branch-cities/')) return p.branches;
    if (path.startsWith('/inspections/'))
      return op.operationId === 'deleteInspection' ? p.victimInspections : p.inspections;
    if (path.startsWith('/reports/') || path.startsWith('/me/inspections/')) return p.inspections;
    if (path.startsWith('/admin/pdf-jobs/')) return p.reportJobs;
    if (path.startsWith('/me/vehicles/')) return op.operationId === 'deleteMyVehicle' ? p.victimVehicles : p.vehicles;
    if (path.startsWith('/me/inspection-requests/') || path.startsWith('/admin/customer-inspections/'))
      return p.requests;
    if (path.startsWith('/admin/credit-packages/')) return p.packages;
    return [];
  }

  /** Every kind of request this operation gets (the catalogue: each at least once per run). */
  kindList(op: OperationSpec): string[] {
    const d = this.opDoc(op);
    return [
      'valid',
      ...(d.json ? JSON_KINDS : []),
      ...(d.form ? MULTIPART_KINDS : []),
      ...(!d.json && !d.form ? ['junk-body'] : []),
      ...(d.pathParams.length > 0 ? ['bad-path-param', 'foreign-path-id'] : []),
      ...ANY_KINDS,
    ];
  }

  private kinds(op: OperationSpec, d: OpDoc): fc.Arbitrary<string> {
    const w: Array<{ arbitrary: fc.Arbitrary<string>; weight: number }> = [
      { arbitrary: fc.constant('valid'), weight: d.json || d.form ? 10 : 6 },
    ];
    if (d.json) w.push({ arbitrary: fc.constantFrom(...JSON_KINDS), weight: 10 });
    if (d.form) w.push({ arbitrary: fc.constantFrom(...MULTIPART_KINDS), weight: 10 });
    if (!d.json && !d.form) w.push({ arbitrary: fc.constant('junk-body'), weight: 1 });
    if (d.pathParams.length > 0)
      w.push(
        { arbitrary: fc.constant('bad-path-param'), weight: 2 },
        { arbitrary: fc.constant('foreign-path-id'), weight: 1 },
      );
    w.push({ arbitrary: fc.constantFrom(...ANY_KINDS), weight: 2 });
    void op;
    return fc.oneof(...w);
  }

  private queryArb(d: OpDoc, g: SchemaGen): fc.Arbitrary<Array<[string, string]>> {
    const parts = d.queryParams.map((q) => {
      const value = g
        .arb((q.schema ?? {}) as Schema, q.name === 'token' ? '' : q.name)
        .map((v) => [q.name, v] as [string, J]);
      return q.required ? value : fc.option(value, { nil: undefined, freq: 2 });
    });
    return fc.tuple(...parts).map((vs) => {
      const out: Array<[string, string]> = [];
      for (const v of vs as Array<[string, J] | undefined>) {
        if (!v) continue;
        const [k, val] = v;
        if (Array.isArray(val)) for (const x of val) out.push([k, scalar(x)]);
        else out.push([k, scalar(val)]);
      }
      return out;
    });
  }

  /** The request arbitrary of an operation for one caller. */
  arbitrary(op: OperationSpec, principal: Principal, kind?: string): fc.Arbitrary<FuzzRequest> {
    const d = this.opDoc(op);
    const g = this.gen(op);
    const good = (this.pools.goodBodies[op.operationId] ?? []).map(fromPlain);
    const params = fc.tuple(
      ...d.pathParams.map((p) => {
        const pool = this.pathPool(op, p.name);
        const own = g.arb((p.schema ?? {}) as Schema);
        return (
          pool.length > 0
            ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 4 }, { arbitrary: own, weight: 1 })
            : own
        ).map((v) => [p.name, scalar(v)] as [string, string]);
      }),
    );
    const generated: fc.Arbitrary<J | undefined> = d.json ? g.arb(d.json) : fc.constant(undefined);
    const body =
      good.length > 0
        ? fc.oneof({ arbitrary: generated, weight: 1 }, { arbitrary: fc.constantFrom(...good), weight: 2 })
        : generated;
    const form: fc.Arbitrary<Part[] | undefined> = d.form ? this.formArb(op, d.form, g) : fc.constant(undefined);
    return fc
      .record({
        kind: kind ? fc.constant(kind) : this.kinds(op, d),
        params,
        query: this.queryArb(d, g),
        body,
        form,
        r: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        pairPick: fc.nat(),
        webhookAuth: fc.nat({ max: 9 }),
      })
      .map((x) => this.build(op, principal, d, g, x));
  }

  private build(
    op: OperationSpec,
    principal: Principal,
    d: OpDoc,
    g: SchemaGen,
    x: {
      kind: string;
      params: Array<[string, string]>;
      query: Array<[string, string]>;
      body: J | undefined;
      form: Part[] | undefined;
      r: number[];
      pairPick: number;
      webhookAuth: number;
    },
  ): FuzzRequest {
    const n = (i: number) => x.r[i % x.r.length] ?? 0;
    const kind = x.kind;
    let note = '';
    const params = new Map(x.params);
    // Consistent pairs (a photo of that inspection, a page token of that inspection) most of the time.
    if (x.pairPick % 4 !== 0) {
      if (params.has('photoId') && op.path.startsWith('/inspections/')) {
        const pairs = op.operationId === 'deletePhoto' ? this.pools.victimPhotoPairs : this.pools.photoPairs;
        if (pairs.length > 0) {
          const [i, ph] = pick(pairs, x.pairPick);
          params.set('id', i);
          params.set('photoId', ph);
        }
      }
      if (params.has('changeId') && this.pools.changePairs.length > 0) {
        const [i, c] = pick(this.pools.changePairs, x.pairPick);
        params.set('id', i);
        params.set('changeId', c);
      }
    }
    // reorderPhotos: the inspection whose photos the body lists.
    if (op.operationId === 'reorderPhotos' && x.pairPick % 4 !== 0 && x.body instanceof JObj) {
      const ids = x.body.entries.find(([k]) => k === 'photoIds')?.[1];
      const owner =
        Array.isArray(ids) && typeof ids[0] === 'string'
          ? this.pools.photoPairs.find(([, ph]) => ph === ids[0])?.[0]
          : undefined;
      if (owner) params.set('id', owner);
    }
    let query = x.query.slice();
    if (op.path.startsWith('/reports/') && this.pools.reportTargets.length > 0 && x.pairPick % 4 !== 0) {
      const t = pick(this.pools.reportTargets, x.pairPick);
      params.set('id', t.id);
      params.set('variant', t.variant);
      if (params.has('photoId') && t.photoIds.length > 0) params.set('photoId', pick(t.photoIds, n(7)));
      query = [...query.filter(([k]) => k !== 'token'), ['token', t.token]];
    }
    const encoded = new Map([...params].map(([k, v]) => [k, encodeURIComponent(v)]));
    if (kind === 'bad-path-param' && d.pathParams.length > 0) {
      const which = pick(d.pathParams, n(0)).name;
      const bad = pick(BAD_PATH_PARAMS, n(1));
      encoded.set(which, bad);
      note = `${which}=${bad.slice(0, 40)}`;
    }
    if (kind === 'foreign-path-id' && d.pathParams.length > 0 && this.pools.foreign.length > 0) {
      const which = pick(d.pathParams, n(0)).name;
      encoded.set(which, pick(this.pools.foreign, n(1)));
      note = `${which} of another user`;
    }
    let path = `${this.basePath}${op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encoded.get(name) ?? 'x')}`;
    let qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    if (kind === 'bogus-query') {
      const extra = [pick(BAD_QUERIES, n(0)), ...(n(1) % 2 === 0 ? [pick(BAD_QUERIES, n(2))] : [])];
      qs = [qs, ...extra].filter(Boolean).join('&');
      note = extra.map((e) => e.slice(0, 40)).join(' & ');
    }
    let method = op.method.toUpperCase();
    if (kind === 'method-swap') {
      // Only methods the path has no operation for (405): another operation there may be a destructive one
      // (GET -> DELETE of a shared fixture) that the exclusions keep away from the shared fixtures.
      const taken = new Set(
        Object.keys((this.document.paths as Record<string, Record<string, unknown>>)[op.path] ?? {}).map((m) =>
          m.toUpperCase(),
        ),
      );
      method = pick(
        METHODS.filter((m) => !taken.has(m)),
        n(0),
      );
      note = method;
    }
    if (kind === 'path-noise') {
      const noise = pick(
        [
          'trailing-slash',
          'double-slash',
          'extra-segment',
          'upper-case',
          'encoded-slash',
          'matrix',
          'suffix',
          'dot-segment',
          'no-base',
        ],
        n(0),
      );
      note = noise;
      if (noise === 'trailing-slash') path = `${path}/`;
      if (noise === 'double-slash') path = path.replace(/\/(?=[^/]*$)/, '//');
      if (noise === 'extra-segment') path = `${path}/${pick(['x', '..', '.', '%00', 'photos', 'approve'], n(1))}`;
      if (noise === 'upper-case') path = path.toUpperCase();
      if (noise === 'encoded-slash') path = path.replace(/\/(?=[^/]*$)/, '%2F');
      if (noise === 'matrix') path = `${path};jsessionid=1`;
      if (noise === 'suffix') path = `${path}.json`;
      if (noise === 'dot-segment') path = path.replace(this.basePath, `${this.basePath}/./x/..`);
      if (noise === 'no-base') path = path.slice(this.basePath.length) || '/';
    }

    const headers: Record<string, string> = {
      accept: pick(['application/json', '*/*', 'application/problem+json', 'text/html', 'application/xml'], n(6)),
    };
    let auth: FuzzRequest['auth'] = principal === 'anonymous' ? 'none' : 'principal';
    if (principal === 'forged') auth = pick([...BAD_AUTH, ...this.pools.deadTokens.map((t) => `Bearer ${t}`)], n(5));
    if (op.operationId === 'receivePaymentWebhook') {
      if (x.webhookAuth < 7) headers['x-callback-token'] = this.pools.webhookToken;
      else if (x.webhookAuth < 9)
        headers['x-callback-token'] = pick(
          ['wrong-token-wrong-token', '', this.pools.webhookToken.toUpperCase(), `${this.pools.webhookToken} `],
          n(4),
        );
    }

    let body: Buffer | undefined;
    let chunked = false;
    const json = (v: J) => {
      headers['content-type'] = 'application/json';
      return Buffer.from(stringify(v), 'utf8');
    };
    // verifyReport takes JSON or multipart: its valid requests alternate.
    const asForm = !!d.form && (kind.startsWith('mp-') || !d.json || (kind === 'valid' && n(3) % 2 === 0));
    if (d.json && !asForm) {
      const base = x.body ?? obj();
      if ((BODY_MUTATIONS as readonly string[]).includes(kind)) {
        const m = mutateBody(base, kind as BodyMutation, x.r, g.requiredOf(d.json), this.pools.foreign);
        body = json(m.body);
        note = m.note;
      } else if (kind === 'malformed-json') {
        const text = stringify(base);
        const variants: Array<[string, string]> = [
          ['truncated', text.slice(0, Math.max(1, n(1) % Math.max(1, text.length)))],
          ['trailing comma', text.replace(/}$/, ',}')],
          ['single quotes', text.replace(/"/g, "'")],
          ['unquoted keys', text.replace(/"([A-Za-z_]+)":/g, '$1:')],
          ['NaN literal', '{"value":NaN}'],
          ['comment', `/* c */${text}`],
          ['BOM', `\ufeff${text}`],
          ['two documents', `${text}${text}`],
          ['missing value', '{"a":}'],
          ['open brace', '{'],
          ['nul byte', `${text}\u0000`],
          ['garbage', '\u0001\u0002\u00ff{{{'],
          ['unterminated string', '{"a":"abc'],
          ['bad escape', '{"a":"\\x41\\u12"}'],
        ];
        const [what, t] = pick(variants, n(0));
        headers['content-type'] = 'application/json';
        body = Buffer.from(t, 'utf8');
        note = what;
      } else if (kind === 'wrong-content-type') {
        const ct = pick(
          [
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=xyz',
            'application/xml',
            'application/json; charset=utf-16',
            'application/json; charset=iso-8859-1',
            'application/json; charset=nope',
            'application/vnd.api+json',
            'application/problem+json',
            'application/jsonx',
            '',
            'APPLICATION/JSON',
            'application/json;charset=UTF-8',
            'image/png',
            'application/octet-stream',
          ],
          n(0),
        );
        body = Buffer.from(
          ct.startsWith('application/x-www-form') ? 'a=1&b=2&__proto__[x]=1' : stringify(base),
          'utf8',
        );
        if (ct) headers['content-type'] = ct;
        note = ct || 'no content-type';
      } else if (kind === 'invalid-utf8') {
        const b = json(base);
        const at = Math.max(0, b.indexOf('"') + 1);
        body = Buffer.concat([
          b.subarray(0, at),
          Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
          b.subarray(at),
        ]);
        note = 'invalid UTF-8 bytes in a string';
      } else if (kind === 'content-encoding') {
        const enc = pick(['gzip', 'deflate', 'br', 'x-gzip', 'identity, gzip', 'zstd', 'x-unknown', 'gzip-real'], n(0));
        const plain = json(base);
        if (enc === 'gzip-real') {
          headers['content-encoding'] = 'gzip';
          body = gzipSync(plain);
        } else {
          headers['content-encoding'] = enc;
          body = n(1) % 2 === 0 ? plain : Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4, 5]);
        }
        note = enc;
      } else if (kind === 'dup-keys') {
        const text = stringify(base);
        const key = base instanceof JObj && base.entries[0] ? base.entries[0][0] : 'a';
        headers['content-type'] = 'application/json';
        body = Buffer.from(
          text.replace(
            /^\{/,
            `{${JSON.stringify(key)}:${pick(['null', '[]', '{"__proto__":{}}', '"x"', '1e400'], n(1))},`,
          ),
          'utf8',
        );
        note = `duplicate "${key}"`;
      } else if (kind === 'empty-body') {
        if (n(0) % 2 === 0) headers['content-type'] = 'application/json';
        body = n(1) % 3 === 0 ? Buffer.from('   ') : undefined;
        note = body ? 'whitespace' : 'no body';
      } else if (kind === 'chunked') {
        body = json(base);
        chunked = true;
        note = 'transfer-encoding chunked';
      } else if (kind !== 'junk-body') {
        body = json(base);
      }
    }
    if (d.form && asForm) {
      const made = this.multipart(op, d.form, x.form ?? [], kind, x.r, headers);
      body = made.body;
      if (made.note) note = made.note;
    }
    if (kind === 'junk-body') {
      const variant = n(0) % 4;
      if (variant === 0) body = json(obj([['__proto__', obj([['polluted', true]])]]));
      else if (variant === 1) body = json(deep(4096, n(1)));
      else if (variant === 2)
        ((headers['content-type'] = 'application/octet-stream'),
          (body = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + n(2)) % 256))));
      else body = json(fromPlain({ a: UNICODE_STRINGS }));
      note = ['proto key', 'deep nesting', 'octet-stream', 'unicode'][variant] as string;
    }
    return {
      op: op.operationId,
      principal,
      kind,
      note,
      method,
      url: qs ? `${path}?${qs}` : path,
      headers,
      auth,
      body,
      chunked,
    };
  }

  /** Valid multipart parts of an operation (files and text fields). */
  private formArb(op: OperationSpec, form: Schema, g: SchemaGen): fc.Arbitrary<Part[]> {
    const props = (form.properties ?? {}) as Record<string, Schema>;
    const files = op.multipart?.files ?? [];
    const vehiclePhotoTypes = ['FRONT', 'BACK', 'LEFT', 'RIGHT', 'INTERIOR', 'EXTERIOR', 'ENGINE', 'DOCUMENT', 'OTHER'];
    const fileArb = (name: string, max: number) =>
      fc.array(
        fc.tuple(
          fc.constantFrom<'jpeg' | 'png' | 'webp' | 'pdf'>(
            ...(name === 'file' ? (['pdf'] as const) : (['jpeg', 'png', 'webp'] as const)),
          ),
          fc.integer({ min: 64, max: 4096 }),
          fc.nat(),
        ),
        {
          minLength: 1,
          maxLength: Math.min(max, 3),
        },
      );
    return fc
      .record({
        files: fc.tuple(...files.map((f) => fileArb(f.name, f.maxCount))),
        data: props.data ? g.arb(((props.data as Schema).contentSchema ?? {}) as Schema) : fc.constant(undefined),
        meta: props.metadata
          ? fc.array(g.arb({ $ref: '#/components/schemas/PhotoMetadata' }), { minLength: 3, maxLength: 3 })
          : fc.constant(undefined),
        types: fc.array(fc.constantFrom(...vehiclePhotoTypes.slice(1)), { minLength: 3, maxLength: 3 }),
        front: fc.nat(),
        omitTypes: fc.nat({ max: 3 }),
      })
      .map(({ files: fileLists, data, meta, types, front, omitTypes }) => {
        const parts: Part[] = [];
        const counts: number[] = [];
        files.forEach((f, i) => {
          const list = fileLists[i] as Array<['jpeg' | 'png' | 'webp' | 'pdf', number, number]>;
          counts.push(list.length);
          list.forEach(([type, size, seed], k) =>
            parts.push({
              name: f.name,
              filename: `f${k}.${type === 'jpeg' ? 'jpg' : type}`,
              contentType: type === 'pdf' ? 'application/pdf' : `image/${type}`,
              data: imageBytes(type, size, seed),
            }),
          );
        });
        const count = counts[0] ?? 1;
        if (data !== undefined) parts.unshift({ name: 'data', data: stringify(data) });
        if (meta !== undefined) parts.push({ name: 'metadata', data: stringify(meta.slice(0, count)) });
        if (props.photoTypes && !(op.operationId === 'addMyInspectionRequestPhotos' && omitTypes === 0)) {
          const t = types.slice(0, count);
          if (op.operationId !== 'addMyInspectionRequestPhotos') t[front % count] = 'FRONT';
          parts.push({ name: 'photoTypes', data: t.join(',') });
        }
        return parts;
      });
  }

  private multipart(
    op: OperationSpec,
    form: Schema,
    valid: Part[],
    kind: string,
    r: number[],
    headers: Record<string, string>,
  ): { body: Buffer; note: string } {
    const n = (i: number) => r[i % r.length] ?? 0;
    const boundary = `----fuzz${n(7).toString(16)}`;
    const fileField = op.multipart?.files[0]?.name ?? 'photos';
    const maxFiles = op.multipart?.files[0]?.maxCount ?? 1;
    const textFields = Object.keys((form.properties ?? {}) as Record<string, unknown>).filter(
      (k) => !op.multipart?.files.some((f) => f.name === k),
    );
    let parts = valid.map((p) => ({ ...p }));
    let note = '';
    let close = true;
    let ct = `multipart/form-data; boundary=${boundary}`;
    const firstFile = () => parts.find((p) => p.filename !== undefined);
    switch (kind) {
      case 'mp-junk-file': {
        const f = firstFile();
        if (f) f.data = Buffer.from(Array.from({ length: 200 + (n(0) % 800) }, (_, i) => (i * 131 + n(1)) % 256));
        note = 'random bytes as the file';
        break;
      }
      case 'mp-fake-image': {
        const f = firstFile();
        if (f) f.data = fakeImageBytes(pick(['jpeg', 'png', 'webp'] as const, n(0)), 512 + (n(1) % 2048), n(2));
        note = 'image magic bytes, then noise';
        break;
      }
      case 'mp-empty-file': {
        const f = firstFile();
        if (f) f.data = Buffer.alloc(0);
        note = 'zero-byte file';
        break;
      }
      case 'mp-pdf-as-photo': {
        const f = firstFile();
        if (f)
          ((f.data = imageBytes(n(0) % 2 === 0 ? 'pdf' : 'jpeg', 1024, n(1))),
            (f.contentType = pick(['image/jpeg', 'application/pdf', 'text/plain'], n(2))));
        note = 'another type than named';
        break;
      }
      case 'mp-too-many-files':
        parts = [
          ...parts.filter((p) => p.filename === undefined),
          ...Array.from({ length: maxFiles + 1 + (n(0) % 3) }, (_, i) => ({
            name: fileField,
            filename: `m${i}.png`,
            contentType: 'image/png',
            data: imageBytes('png', 80, i),
          })),
        ];
        note = `${maxFiles + 1}+ files`;
        break;
      case 'mp-wrong-field': {
        const f = firstFile();
        if (f) f.name = pick(['evil', 'photo', 'photos[]', 'file', 'data', 'metadata', ''], n(0));
        else parts.push({ name: 'evil', data: 'x' });
        note = `file in field "${f?.name ?? 'evil'}"`;
        break;
      }
      case 'mp-hostile-fields': {
        const values = [
          stringify(obj([['__proto__', obj([['polluted', true]])]])),
          stringify(obj([['constructor', obj([['prototype', obj([['polluted', true]])]])]])),
          stringify([
            obj([
              ['__proto__', obj([['x', 1]])],
              ['label', 'a'],
            ]),
          ]),
          stringify(deep(3000, n(1))),
          '{"plateNumber":',
          'null',
          '[]',
          '{}',
          '[{"category":"NOPE"}]',
          'FRONT,FRONT',
          'front',
          ',,,',
          'FRONT,' + 'BACK,'.repeat(30),
          '\u0000',
          pick(UNICODE_STRINGS, n(2)),
          '1e400',
          stringify(
            fromPlain({
              plateNumber: 'A 1',
              year: null,
              transmission: 'x',
              bodyType: 'x',
              brand: 'x',
              model: 'x',
              vehicleClass: 'REGULAR',
            }),
          ).replace('null', '1e400'),
          stringify(
            fromPlain({
              plateNumber: 'A 1',
              year: 2020,
              transmission: 'x',
              bodyType: 'x',
              brand: 'x',
              model: 'x',
              vehicleClass: 'REGULAR',
              specification: { engine: 'x\udfffy' },
            }),
          ),
          stringify([fromPlain({ label: 'a\ud800' })]),
          stringify(
            fromPlain({
              plateNumber: 'A\u00001',
              year: 2020,
              transmission: 'x',
              bodyType: 'x',
              brand: 'x',
              model: 'x',
              vehicleClass: 'REGULAR',
              specification: { a: 'b'.repeat(300) },
            }),
          ),
        ];
        const name = textFields.length > 0 ? pick(textFields, n(0)) : 'metadata';
        const v = pick(values, n(3));
        parts = [...parts.filter((p) => p.name !== name), { name, data: v }];
        note = `${name}=${JSON.stringify(v.slice(0, 40))}`;
        break;
      }
      case 'mp-no-boundary':
        ct = pick(
          [
            'multipart/form-data',
            'multipart/form-data; boundary=',
            'multipart/mixed; boundary=' + boundary,
            'multipart/form-data; boundary="' + boundary,
          ],
          n(0),
        );
        note = ct;
        break;
      case 'mp-wrong-boundary':
        ct = `multipart/form-data; boundary=other${n(0)}`;
        note = 'boundary differs from the body';
        break;
      case 'mp-truncated':
        close = false;
        note = 'no closing boundary, cut short';
        break;
      case 'mp-huge-field': {
        const name = textFields.length > 0 ? pick(textFields, n(0)) : 'metadata';
        parts = [...parts.filter((p) => p.name !== name), { name, data: 'x'.repeat(70 * 1024) }];
        note = `${name} of 70 KB`;
        break;
      }
      case 'mp-many-fields':
        parts = [...parts, ...Array.from({ length: 25 }, (_, i) => ({ name: `f${i}`, data: 'v' }))];
        note = '25 extra fields';
        break;
      case 'mp-proto-field-name':
        parts = [
          ...parts,
          {
            name: pick(
              ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][x]'],
              n(0),
            ),
            data: pick(['1', '{"polluted":true}'], n(1)),
          },
        ];
        note = 'reserved field name';
        break;
      case 'mp-evil-filename': {
        const f = firstFile();
        if (f)
          f.filename = pick(
            [
              '../../../../etc/passwd',
              '..\\..\\x.jpg',
              'a'.repeat(1000) + '.jpg',
              '.htaccess',
              'x.jpg\u202egpj.exe',
              'nul.jpg',
              '%00.jpg',
              'ü😀.png',
              '',
            ],
            n(0),
          );
        note = `filename ${JSON.stringify(f?.filename?.slice(0, 30))}`;
        break;
      }
      case 'mp-oversize-file': {
        const f = firstFile();
        if (f && f.name !== 'file')
          f.data = Buffer.concat([imageBytes('jpeg', 512, 1), Buffer.alloc(this.maxPhotoBytes + 1 - 512, 7)]);
        note = f?.name === 'file' ? 'a normal PDF' : `file of ${this.maxPhotoBytes + 1} bytes`;
        break;
      }
      case 'mp-json-instead':
        headers['content-type'] = 'application/json';
        return {
          body: Buffer.from(
            stringify(obj(parts.filter((p) => p.filename === undefined).map((p) => [p.name, String(p.data)]))),
            'utf8',
          ),
          note: 'JSON instead of multipart',
        };
      case 'mp-file-as-text': {
        const f = firstFile();
        if (f) delete f.filename;
        note = 'file part without filename';
        break;
      }
      case 'mp-duplicate-field': {
        const t = parts.find((p) => p.filename === undefined);
        if (t) parts.push({ ...t });
        else parts.push({ name: 'x', data: '1' }, { name: 'x', data: '2' });
        note = `duplicate field ${t?.name ?? 'x'}`;
        break;
      }
    }
    headers['content-type'] = ct;
    let body = multipartBody(parts, boundary, { close });
    if (kind === 'mp-truncated')
      body = body.subarray(0, Math.max(10, body.length - 1 - (n(0) % Math.min(200, body.length))));
    return { body, note };
  }
}

/** A JSON value as a query or path string. */
function scalar(v: J): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return stringify(v);
}
