/**
 * Table-driven bad input over every operation in openapi.yaml: malformed JSON, wrong media type, oversize
 * bodies, wrong shapes and types, unknown fields and enum values, bad path ids and query values. Every
 * answer must be a 4xx problem+json with the expected stable code; a 500 fails the test.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { OperationSpec } from '../../src/adapters/http/openapi.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import type { Role } from '../../src/domain/identity/role.js';
import { Actors, type TestActor } from '../support/actors.js';
import { testKnex, truncateAll } from '../support/db.js';

type Schema = Record<string, unknown>;

const t: TestApp = buildTestApp({ env: { BODY_LIMIT_KB: '4' } });
const doc = t.spec.document as Schema;

function deref(s: Schema | undefined): Schema {
  if (!s) return {};
  if (typeof s.$ref === 'string')
    return deref(
      s.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<Schema>((n, k) => n[k] as Schema, doc),
    );
  return s;
}

function bodySchema(op: OperationSpec): Schema {
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  const rb = (paths[op.path]?.[op.method]?.requestBody ?? {}) as { content?: Record<string, { schema: Schema }> };
  return deref(rb.content?.['application/json']?.schema);
}

/** The schema of a multipart file field (contentMediaType says what it accepts). */
function fileSchema(op: OperationSpec, field: string): Schema {
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  const rb = (paths[op.path]?.[op.method]?.requestBody ?? {}) as { content?: Record<string, { schema: Schema }> };
  const props = (deref(rb.content?.['multipart/form-data']?.schema).properties ?? {}) as Record<string, Schema>;
  return deref(props[field]);
}

function queryParams(op: OperationSpec): Array<{ name: string; schema: Schema }> {
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  const item = paths[op.path] as Record<string, unknown>;
  const params = [
    ...((item.parameters as Schema[]) ?? []),
    ...(((item[op.method] as Schema).parameters as Schema[]) ?? []),
  ].map(deref);
  return params
    .filter((p) => p.in === 'query')
    .map((p) => ({ name: String(p.name), schema: deref(p.schema as Schema) }));
}

/** A value of the wrong JSON type for a property schema. */
function wrongValue(s: Schema): unknown {
  const types = ([] as unknown[]).concat(s.type ?? (s.enum ? 'string' : 'object'));
  if (types.includes('string')) return 12345;
  if (types.includes('boolean') || types.includes('integer') || types.includes('number')) return 'not-a-value';
  return 'not-an-object';
}

const url = (op: OperationSpec, id = '00000000-0000-4000-8000-000000000000') =>
  `${t.spec.basePath}${op.path.replace(/\{[^}]+\}/g, id)}`;

interface Case {
  name: string;
  send: (
    op: OperationSpec,
    auth: Record<string, string>,
  ) => Promise<{ status: number; body: { code?: string }; headers: Record<string, string> }>;
  status: number;
  code: string | RegExp;
}

function casesFor(op: OperationSpec): Case[] {
  const out: Case[] = [];
  const call = (o: OperationSpec, auth: Record<string, string>, path = url(o)) => t.api[o.method](path).set(auth);
  if (op.multipart) {
    const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const fileField = op.multipart.files[0]?.name as string;
    // An operation that also takes JSON answers a JSON body as JSON (the JSON cases below).
    if (!op.hasJsonBody)
      out.push({
        name: 'JSON instead of multipart',
        send: (o, a) => call(o, a).send({ [fileField]: 'x' }),
        status: 415,
        code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      });
    // A file of another type than the field accepts, with a name and Content-Type that lie.
    const forged: Case =
      fileSchema(op, fileField).contentMediaType === 'application/pdf'
        ? {
            name: 'a JPEG named .pdf (forged extension)',
            send: (o, a) =>
              call(o, a).attach(fileField, jpegHead, { filename: 'report.pdf', contentType: 'application/pdf' }),
            status: 415,
            code: 'VERIFY.NOT_A_PDF',
          }
        : {
            name: 'a PDF named .jpg (forged extension)',
            send: (o, a) =>
              call(o, a).attach(fileField, Buffer.from('%PDF-1.7 not an image'), {
                filename: 'car.jpg',
                contentType: 'image/jpeg',
              }),
            status: 415,
            code: 'PHOTO.UNSUPPORTED_TYPE',
          };
    out.push(
      {
        name: 'multipart without the file',
        send: (o, a) => call(o, a).field('note', 'x'),
        status: 400,
        code: 'VALIDATION.FAILED',
      },
      {
        name: 'multipart with an unknown text field',
        send: (o, a) => call(o, a).attach(fileField, jpegHead, 'a.jpg').field('surprise', '1'),
        status: 400,
        code: 'VALIDATION.FAILED',
      },
      {
        name: 'a text field named __proto__',
        send: (o, a) => call(o, a).attach(fileField, jpegHead, 'a.jpg').field('__proto__', 'x'),
        status: 400,
        code: 'VALIDATION.FORBIDDEN_KEY',
      },
      {
        name: 'file in an unexpected field',
        send: (o, a) => call(o, a).attach('elsewhere', jpegHead, 'a.jpg'),
        status: 400,
        code: 'REQUEST.UNEXPECTED_FILE',
      },
      forged,
      {
        name: 'truncated multipart body',
        send: (o, a) =>
          call(o, a)
            .set('content-type', 'multipart/form-data; boundary=xyz')
            .send('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nval'),
        status: 400,
        code: 'REQUEST.MALFORMED_MULTIPART',
      },
    );
  }
  if (op.hasJsonBody) {
    out.push(
      {
        name: 'malformed JSON',
        send: (o, a) => call(o, a).set('content-type', 'application/json').send('{"a":'),
        status: 400,
        code: 'REQUEST.MALFORMED_JSON',
      },
      {
        name: 'text/plain body',
        send: (o, a) => call(o, a).set('content-type', 'text/plain').send('hello'),
        status: 415,
        code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'oversize body',
        send: (o, a) => call(o, a).send({ padding: 'x'.repeat(6 * 1024) }),
        status: 413,
        code: 'REQUEST.TOO_LARGE',
      },
      {
        name: 'array instead of object',
        send: (o, a) => call(o, a).send([1, 2]),
        status: 400,
        code: 'VALIDATION.FAILED',
      },
      {
        name: 'JSON null body',
        send: (o, a) => call(o, a).set('content-type', 'application/json').send('null'),
        status: 400,
        code: /^(VALIDATION.FAILED|REQUEST.MALFORMED_JSON)$/,
      },
      {
        name: 'unknown field',
        send: (o, a) => call(o, a).send({ __unknown__: true }),
        status: 400,
        code: 'VALIDATION.FAILED',
      },
      // Raw text: an object literal with "__proto__" would set a prototype instead of sending the key.
      {
        name: '__proto__ key',
        send: (o, a) => call(o, a).set('content-type', 'application/json').send('{"__proto__":{"polluted":true}}'),
        status: 400,
        code: 'VALIDATION.FORBIDDEN_KEY',
      },
      {
        name: 'nested constructor.prototype keys',
        send: (o, a) =>
          call(o, a)
            .set('content-type', 'application/json')
            .send('{"x":[{"constructor":{"prototype":{"polluted":true}}}]}'),
        status: 400,
        code: 'VALIDATION.FORBIDDEN_KEY',
      },
    );
    if (op.bodyRequired)
      out.push({ name: 'missing body', send: (o, a) => call(o, a), status: 400, code: 'VALIDATION.FAILED' });
    const props = (bodySchema(op).properties ?? {}) as Record<string, Schema>;
    for (const [prop, raw] of Object.entries(props)) {
      const s = deref(raw);
      out.push({
        name: `wrong type for ${prop}`,
        send: (o, a) => call(o, a).send({ [prop]: wrongValue(s) }),
        status: 400,
        code: 'VALIDATION.FAILED',
      });
      if (s.enum)
        out.push({
          name: `unknown enum value for ${prop}`,
          send: (o, a) => call(o, a).send({ [prop]: 'NOT_A_MEMBER' }),
          status: 400,
          code: 'VALIDATION.FAILED',
        });
    }
  }
  if (op.path.includes('{id}'))
    out.push({
      name: 'malformed id',
      send: (o, a) => call(o, a, url(o, 'not-a-uuid')),
      status: 400,
      code: 'VALIDATION.FAILED',
    });
  for (const q of queryParams(op)) {
    const s = deref((q.schema.items as Schema) ?? q.schema);
    if (s.type === 'integer' || s.type === 'boolean' || s.enum || s.format) {
      out.push({
        name: `bad query ${q.name}`,
        send: (o, a) => call(o, a, `${url(o)}?${q.name}=%3Cbad%3E`),
        status: 400,
        code: 'VALIDATION.FAILED',
      });
    }
  }
  out.push({
    name: 'unknown query parameter',
    send: (o, a) => call(o, a, `${url(o)}?surprise=1`),
    status: 400,
    code: 'VALIDATION.FAILED',
  });
  return out;
}

describe('API: bad input on every operation answers 4xx problem+json (table from openapi.yaml)', () => {
  let actors: Record<Role, TestActor>;
  let knex: Knex | undefined;
  /** A caller the operation allows, so that the request reaches validation. */
  const callerFor = (op: OperationSpec) => {
    if (!op.roles) return {};
    const role = op.roles.length === 0 || op.roles.includes('SUPERADMIN') ? 'SUPERADMIN' : (op.roles[0] as Role);
    return actors[role].auth;
  };

  before(async () => {
    knex = testKnex();
    await truncateAll(knex);
    actors = await new Actors(t.container).all();
  });
  after(async () => knex?.destroy());

  for (const op of t.spec.operations) {
    describe(`${op.method.toUpperCase()} ${op.path} (${op.operationId})`, () => {
      for (const c of casesFor(op)) {
        it(`${c.name} -> ${c.status}`, async () => {
          const res = await c.send(op, callerFor(op));
          expect(res.status, JSON.stringify(res.body)).to.equal(c.status);
          expect((Object.prototype as Record<string, unknown>).polluted, 'Object.prototype untouched').to.equal(
            undefined,
          );
          expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
          if (typeof c.code === 'string') expect(res.body.code).to.equal(c.code);
          else expect(res.body.code).to.match(c.code);
        });
      }
    });
  }

  it('unknown routes are 404 and wrong methods 405 with Allow, as problem+json', async () => {
    const nf = await t.api.get('/api/v1/no-such-thing');
    expect(nf.status).to.equal(404);
    expect(nf.body.code).to.equal('ROUTE.NOT_FOUND');
    const na = await t.api.put('/api/v1/auth/me').set(actors.SUPERADMIN.auth).send({});
    expect(na.status).to.equal(405);
    expect(na.headers.allow).to.equal('GET, PATCH');
    expect(na.body.code).to.equal('ROUTE.METHOD_NOT_ALLOWED');
  });
});
