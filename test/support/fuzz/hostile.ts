/**
 * Hostile values and mutations of generated JSON bodies: prototype keys at any object level, huge and
 * special numbers, NaN-like strings, unicode (NUL, lone surrogates, bidi, zero-width), long strings, deep
 * nesting, wrong types, missing and extra fields. Every size is bounded.
 */
import { clone, containers, JObj, obj, raw, stringify, type J } from './json.js';

export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

export const HUGE_NUMBERS = [
  '1e308',
  '-1e308',
  '1e309',
  '-1e309',
  '1e400',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '2147483648',
  '-2147483649',
  '4294967296',
  '1e-400',
  '-0',
  '0',
  '-1',
  '1.5',
  '0.30000000000000004',
  '99999999999999999999.5',
  '1E+2',
];

export const NAN_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '0x1F',
  '0b11',
  '1_000',
  '',
  ' ',
  '  42  ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '-0',
  '+1',
  '01',
  '1,5',
  '١٢٣',
];

export const UNICODE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\ud83d\ude00\ud83d\ude97',
  '\u202eevil\u202c',
  '\u200b\u200d\u2060',
  'e\u0301\u0301\u0301',
  '\ufeffbom',
  '\u2028\u2029',
  'ß İ ı ǅ',
  '𝕏𝕏𝕏𝕏',
  '\uffff\ufffe',
  '\r\n\t\v\f',
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '${7*7}{{7*7}}',
  '../../../etc/passwd',
  '%00%ff',
  '\\u0000',
  'Ａｄｍｉｎ',
  '\u0085\u00a0',
];

/** Wrong-typed replacements for any value. */
export const WRONG_TYPES: J[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  'str',
  '',
  [],
  [null],
  [[]],
  obj(),
  obj([['a', obj()]]),
  [1, 'a', null],
  raw('1e400'),
];

/** Unpaired UTF-16 surrogates: legal in a JSON string (as \\udXXX), not text PostgreSQL or UTF-8 can hold. */
export const LONE_SURROGATES = ['\ud800', '\udfff', 'x\udfffy', 'ok \ud83d', '\udc00abc', '\ude00\ud83d'];

export const LONG_LENGTHS = [1_024, 16_384, 65_000, 120_000];
export const LONG_UNITS = ['a', 'é', '😀', '\u0000', ' ', '\u200b'];
export const DEPTHS = [64, 512, 4_096, 12_000];

export type BodyMutation =
  | 'missing-required'
  | 'extra-field'
  | 'wrong-type'
  | 'proto-key'
  | 'proto-key-all-levels'
  | 'huge-number'
  | 'nan-string'
  | 'unicode'
  | 'lone-surrogate'
  | 'long-string'
  | 'deep-nesting'
  | 'top-level-non-object'
  | 'foreign-ids';

export const BODY_MUTATIONS: BodyMutation[] = [
  'missing-required',
  'extra-field',
  'wrong-type',
  'proto-key',
  'proto-key-all-levels',
  'huge-number',
  'nan-string',
  'unicode',
  'lone-surrogate',
  'long-string',
  'deep-nesting',
  'top-level-non-object',
  'foreign-ids',
];

const pick = <T>(list: readonly T[], n: number): T => list[Math.abs(n) % list.length] as T;

/** A deeply nested value, as raw text (built without recursion). */
export function deep(depth: number, shape: number): J {
  if (shape % 3 === 0) return raw(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
  if (shape % 3 === 1) return raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return raw(`${'[{"a":'.repeat(depth)}null${'}]'.repeat(depth)}`);
}

/** Scalar positions of a tree: (container, key-or-index). */
function slots(root: J): Array<{ parent: JObj | J[]; at: number }> {
  const out: Array<{ parent: JObj | J[]; at: number }> = [];
  for (const { node } of containers(root)) {
    if (node instanceof JObj) node.entries.forEach((_, i) => out.push({ parent: node, at: i }));
    else node.forEach((_, i) => out.push({ parent: node, at: i }));
  }
  return out;
}

const get = (s: { parent: JObj | J[]; at: number }): J =>
  s.parent instanceof JObj ? (s.parent.entries[s.at] as [string, J])[1] : (s.parent[s.at] as J);
function set(s: { parent: JObj | J[]; at: number }, v: J): void {
  if (s.parent instanceof JObj) (s.parent.entries[s.at] as [string, J])[1] = v;
  else s.parent[s.at] = v;
}

/**
 * Applies a mutation to (a copy of) a body. `r` are random integers from the generator (positions and
 * choices); `foreignIds` are ids of other users' resources. Returns the body and a short description.
 */
export function mutateBody(
  body: J,
  m: BodyMutation,
  r: number[],
  required: string[],
  foreignIds: string[],
): { body: J; note: string } {
  const b = clone(body);
  const n = (i: number) => r[i % r.length] ?? 0;
  const objects = containers(b).filter((c) => c.node instanceof JObj) as Array<{ node: JObj; depth: number }>;
  const values = slots(b);
  switch (m) {
    case 'missing-required': {
      const top = b instanceof JObj ? b : obj();
      const names = required.length > 0 ? required : top.entries.map(([k]) => k);
      if (names.length === 0) return { body: b, note: 'nothing to remove' };
      const drop = new Set(n(0) % 3 === 0 ? names : [pick(names, n(1))]);
      return { body: obj(top.entries.filter(([k]) => !drop.has(k))), note: `without ${[...drop].join(',')}` };
    }
    case 'extra-field': {
      const target = objects.length > 0 ? pick(objects, n(0)).node : null;
      const key = pick(
        ['extra', 'isAdmin', 'role', 'id', 'userId', 'status', '$where', 'a.b', '', ' ', 'x'.repeat(300)],
        n(1),
      );
      if (!target) return { body: obj([[key, 1]]), note: `extra ${key}` };
      target.entries.push([key, pick(WRONG_TYPES, n(2))]);
      return { body: b, note: `extra "${key.slice(0, 20)}"` };
    }
    case 'wrong-type': {
      if (values.length === 0) return { body: pick(WRONG_TYPES, n(0)), note: 'body of the wrong type' };
      const s = pick(values, n(0));
      const v = pick(WRONG_TYPES, n(1));
      set(s, v);
      return { body: b, note: `a value -> ${stringify(v).slice(0, 20)}` };
    }
    case 'proto-key': {
      const key = pick(RESERVED_KEYS, n(0));
      const payload = pick<J>(
        [obj([['polluted', true]]), obj([['prototype', obj([['polluted', true]])]]), 1, 'x', null],
        n(1),
      );
      const target = objects.length > 0 ? pick(objects, n(2)).node : null;
      if (!target) return { body: obj([[key, payload]]), note: `${key} at the top` };
      target.entries.splice(n(3) % (target.entries.length + 1), 0, [key, payload]);
      return { body: b, note: `${key} at an object level` };
    }
    case 'proto-key-all-levels': {
      const key = pick(RESERVED_KEYS, n(0));
      for (const { node } of objects) node.entries.push([key, obj([['polluted', true]])]);
      if (objects.length === 0) return { body: obj([[key, obj([['polluted', true]])]]), note: `${key} at the top` };
      return { body: b, note: `${key} at every object level (${objects.length})` };
    }
    case 'huge-number': {
      const t = pick(HUGE_NUMBERS, n(1));
      if (values.length === 0) return { body: raw(t), note: `body ${t}` };
      const numeric = values.filter((s) => typeof get(s) === 'number');
      set(pick(numeric.length > 0 ? numeric : values, n(0)), raw(t));
      return { body: b, note: `number ${t}` };
    }
    case 'nan-string': {
      const t = pick(NAN_STRINGS, n(1));
      if (values.length === 0) return { body: obj([['value', t]]), note: `"${t}"` };
      set(pick(values, n(0)), t);
      return { body: b, note: `"${t}"` };
    }
    case 'unicode': {
      const t = pick(UNICODE_STRINGS, n(1));
      const strings = values.filter((s) => typeof get(s) === 'string');
      // A key too, sometimes (keys of open maps reach the database as JSON).
      if (n(2) % 4 === 0 && objects.length > 0) {
        pick(objects, n(3)).node.entries.push([t, 'v']);
        return { body: b, note: `key ${JSON.stringify(t)}` };
      }
      if (values.length === 0) return { body: obj([['value', t]]), note: JSON.stringify(t) };
      const s = pick(strings.length > 0 ? strings : values, n(0));
      const old = get(s);
      set(s, typeof old === 'string' && n(4) % 2 === 0 ? `${old}${t}` : t);
      return { body: b, note: `string ${JSON.stringify(t)}` };
    }
    case 'lone-surrogate': {
      const t = pick(LONE_SURROGATES, n(1));
      const strings = values.filter((s) => typeof get(s) === 'string');
      if (n(2) % 3 === 0 || strings.length === 0) {
        // As a key (of an open map, where one is allowed).
        const target = objects.length > 0 ? pick(objects, n(3)).node : null;
        if (!target) return { body: obj([[t, 'v']]), note: `key ${JSON.stringify(t)}` };
        target.entries.push([t, 'v']);
        return { body: b, note: `key ${JSON.stringify(t)}` };
      }
      const s = pick(strings, n(0));
      set(s, `${String(get(s)).slice(0, 20)}${t}`);
      return { body: b, note: `string with ${JSON.stringify(t)}` };
    }
    case 'long-string': {
      const len = pick(LONG_LENGTHS, n(1));
      const unit = pick(LONG_UNITS, n(2));
      const t = unit.repeat(Math.ceil(len / unit.length)).slice(0, len);
      if (values.length === 0) return { body: obj([['value', t]]), note: `${len} x ${JSON.stringify(unit)}` };
      const strings = values.filter((s) => typeof get(s) === 'string');
      set(pick(strings.length > 0 ? strings : values, n(0)), t);
      return { body: b, note: `string of ${len} x ${JSON.stringify(unit)}` };
    }
    case 'deep-nesting': {
      const depth = pick(DEPTHS, n(1));
      const d = deep(depth, n(2));
      if (n(3) % 3 === 0 || values.length === 0) return { body: d, note: `body nested ${depth} deep` };
      set(pick(values, n(0)), d);
      return { body: b, note: `a value nested ${depth} deep` };
    }
    case 'top-level-non-object': {
      const v = pick<J>([null, [], [b], 'text', 42, true, raw('1e400')], n(0));
      return { body: v, note: `body ${stringify(v).slice(0, 30)}` };
    }
    case 'foreign-ids': {
      // Every id-like string becomes an id of someone else's resource.
      let k = 0;
      for (const s of values) {
        const v = get(s);
        if (typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(v) && foreignIds.length > 0)
          (set(s, pick(foreignIds, n(k))), k++);
      }
      return { body: b, note: `${k} foreign id(s)` };
    }
  }
}

/** Hostile values for a path parameter (percent-encoded as sent). */
export const BAD_PATH_PARAMS = [
  '%00',
  'null',
  'undefined',
  '-1',
  '0',
  '1e309',
  'NaN',
  'a'.repeat(3000),
  '%2e%2e',
  '..%2f..%2fetc',
  '%FF',
  '%E0%80',
  '%C0%AF',
  '%F0%9F%98%80',
  '%ED%A0%80',
  'YOG-01052025-001',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '%7B00000000-0000-4000-8000-000000000000%7D',
  '00000000-0000-4000-8000-00000000000',
  '00000000-0000-4000-8000-0000000000000',
  '__proto__',
  'constructor',
  'prototype',
  '123',
  "'%20OR%201=1--",
  'a,b',
  '%20',
  '%0A',
  '%',
];

/** Hostile query strings, appended to a generated one. */
export const BAD_QUERIES = [
  'page=0',
  'page=-1',
  'page=1e20',
  'page=NaN',
  'page=Infinity',
  'page=1.5',
  'page=99999999999999999999',
  'pageSize=0',
  'pageSize=101',
  'pageSize=-5',
  'pageSize=abc',
  'page=1&page=2',
  'page[]=1',
  'page[$gt]=1',
  '__proto__=1',
  '__proto__[polluted]=1',
  'constructor=1',
  'constructor[prototype][x]=1',
  'prototype=1',
  'q=%00',
  'q=%FF%FE',
  'q=%ED%A0%80',
  'q=' + 'x'.repeat(3000),
  'status=NOPE',
  'status=',
  'status',
  '=x',
  '&&&',
  'a=1&a=2&a=3',
  'dateFrom=2025-02-30',
  'dateFrom=99999-01-01',
  'from=not-a-date',
  'to=1970-01-01T00:00:00Z',
  'from=2025-01-01T00:00:00Z&to=2024-01-01T00:00:00Z',
  'timeZone=Mars/Olympus',
  'timeZone=%00',
  'all=maybe',
  'isActive=2',
  'token=1.' + 'a'.repeat(64),
  'vehicleClass=lcgc',
  'unknown=1',
  '%=%',
  'x=%',
];

/** Authorization headers that identify nobody. */
export const BAD_AUTH = [
  'Bearer',
  'Bearer ',
  'Bearer garbage',
  'Basic dXNlcjpwYXNz',
  'bearer a.b.c',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IlNVUEVSQURNSU4ifQ.',
  `Bearer ${'a'.repeat(6000)}`,
  'Bearer a b',
  'Token x',
  'Bearer \u00e9t\u00e9',
];
