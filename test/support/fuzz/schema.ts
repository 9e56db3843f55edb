/**
 * fast-check arbitraries of values that satisfy a JSON Schema of openapi.yaml (the subset the document
 * uses: $ref, allOf, oneOf/anyOf, const, enum, type lists, object properties/required/additionalProperties/
 * propertyNames/min-maxProperties, arrays, string formats uuid/email/date/date-time, patterns, numbers
 * with bounds). Our own small generator: openapi-sampler gives one example per schema and json-schema-faker
 * brings its own randomness, while fast-check's seed must drive every choice for a run to be reproducible.
 * `hints` lets a property name draw from the fixtures' values (ids of real resources, known passwords).
 */
import fc from 'fast-check';
import { obj, type J } from './json.js';

export type Schema = Record<string, unknown>;
export type Hints = (propName: string) => fc.Arbitrary<J> | undefined;

const MAX_DEPTH = 6;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const DAY = 86_400_000;

export class SchemaGen {
  private readonly cache = new Map<Schema, fc.Arbitrary<J>>();

  constructor(
    private readonly document: Record<string, unknown>,
    private readonly hints: Hints = () => undefined,
  ) {}

  /** Follows a local $ref ("#/components/schemas/X"). */
  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
      const target = (s.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>(
          (n, seg) => (n as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.document,
        ) as Schema;
      const { $ref: _ref, ...siblings } = s;
      s = Object.keys(siblings).length > 0 ? { allOf: [target], ...siblings } : target;
    }
    return s;
  }

  /** allOf merged into one schema (properties and required united, the other keywords of the last one). */
  flatten(schema: Schema): Schema {
    let s = this.resolve(schema);
    if (!Array.isArray(s.allOf)) return s;
    const { allOf, ...rest } = s;
    const parts = [...(allOf as Schema[]).map((p) => this.flatten(p)), rest];
    s = {};
    const properties: Record<string, unknown> = {};
    const required = new Set<string>();
    for (const p of parts) {
      Object.assign(properties, (p.properties ?? {}) as Record<string, unknown>);
      for (const r of (p.required as string[] | undefined) ?? []) required.add(r);
      s = { ...s, ...p };
    }
    if (Object.keys(properties).length > 0) s.properties = properties;
    if (required.size > 0) s.required = [...required];
    return s;
  }

  /** Required property names of an object schema (for "missing required field" mutations). */
  requiredOf(schema: Schema): string[] {
    return ((this.flatten(schema).required as string[] | undefined) ?? []).slice();
  }

  arb(schema: Schema, propName = '', depth = 0): fc.Arbitrary<J> {
    const hinted = propName ? this.hints(propName) : undefined;
    const own = this.arbUnhinted(schema, propName, depth);
    // Mostly the fixtures' value (reaches the handlers' logic), sometimes a generated one.
    return hinted ? fc.oneof({ arbitrary: hinted, weight: 3 }, { arbitrary: own, weight: 1 }) : own;
  }

  private arbUnhinted(schema: Schema, propName: string, depth: number): fc.Arbitrary<J> {
    const cached = propName ? undefined : this.cache.get(schema);
    if (cached) return cached;
    const a = this.build(this.flatten(schema), propName, depth);
    if (!propName) this.cache.set(schema, a);
    return a;
  }

  private build(s: Schema, propName: string, depth: number): fc.Arbitrary<J> {
    if ('const' in s) return fc.constant(s.const as J);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as J[]));
    const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (alternatives) {
      const { oneOf: _o, anyOf: _a, ...rest } = s;
      return fc.oneof(...alternatives.map((alt) => this.arb({ allOf: [alt, rest] }, propName, depth + 1)));
    }
    if (Array.isArray(s.type)) {
      return fc.oneof(...(s.type as string[]).map((t) => this.build({ ...s, type: t }, propName, depth)));
    }
    const type =
      (s.type as string | undefined) ??
      (s.properties || s.additionalProperties ? 'object' : s.items ? 'array' : undefined);
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return this.integer(s);
      case 'number':
        return fc.oneof(
          this.integer(s),
          fc.double({ min: num(s.minimum, -1e6), max: num(s.maximum, 1e6), noNaN: true, noDefaultInfinity: true }),
        );
      case 'string':
        return this.string(s, propName);
      case 'array': {
        if (depth > MAX_DEPTH) return fc.constant([]);
        const items = (s.items ?? {}) as Schema;
        const min = num(s.minItems, 0);
        const max = Math.max(min, Math.min(num(s.maxItems, 4), 4));
        return fc.array(this.arb(items, singular(propName), depth + 1), { minLength: min, maxLength: max });
      }
      case 'object':
        return this.object(s, depth);
      default:
        return anyJson(2);
    }
  }

  private integer(s: Schema): fc.Arbitrary<J> {
    const min = num(s.minimum, -1_000_000);
    const max = num(s.maximum, 1_000_000);
    return fc.oneof(
      { arbitrary: fc.integer({ min, max }), weight: 4 },
      { arbitrary: fc.constantFrom(min, max), weight: 1 },
    );
  }

  private string(s: Schema, propName: string): fc.Arbitrary<J> {
    const min = num(s.minLength, 0);
    const max = Math.max(min, Math.min(num(s.maxLength, 40), 60));
    const fit = (a: fc.Arbitrary<string>) =>
      a.filter((v) => [...v].length >= min && v.length <= num(s.maxLength, Infinity));
    switch (s.format) {
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.oneof(
          { arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/).map((u) => `${u}@example.com`), weight: 4 },
          { arbitrary: fit(fc.emailAddress()), weight: 1 },
        );
      case 'date':
        return fc
          .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 11, 31) })
          .map((t) => new Date(t).toISOString().slice(0, 10));
      case 'date-time':
        // Around now (schedules must lie in the next days, prices not in the past), sometimes anywhere.
        return fc.oneof(
          {
            arbitrary: fc.integer({ min: -3 * DAY, max: 90 * DAY }).map((d) => new Date(Date.now() + d).toISOString()),
            weight: 3,
          },
          {
            arbitrary: fc
              .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) })
              .map((t) => new Date(t).toISOString()),
            weight: 1,
          },
        );
      case 'binary':
        return fc.constant('');
    }
    if (typeof s.pattern === 'string') {
      const re = new RegExp(s.pattern as string);
      if (/^\^.*\$$/.test(s.pattern as string)) return fit(fc.stringMatching(re));
      return fit(fc.string({ minLength: Math.max(min, 1), maxLength: max })).filter((v) => re.test(v));
    }
    if (/password/i.test(propName)) return fc.stringMatching(/^[a-z0-9-]{12,24}$/).filter((v) => v.length >= min);
    if (/plate/i.test(propName)) return fit(fc.stringMatching(/^[A-Z]{1,2} ?[0-9]{1,4} ?[A-Z]{0,3}$/));
    return fc.oneof(
      { arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' }), weight: 3 },
      { arbitrary: fit(fc.string({ minLength: min, maxLength: max, unit: 'grapheme' })), weight: 1 },
    );
  }

  private object(s: Schema, depth: number): fc.Arbitrary<J> {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const required = new Set((s.required as string[] | undefined) ?? []);
    const minP = num(s.minProperties, 0);
    const maxP = num(s.maxProperties, Infinity);
    const names = Object.keys(props);
    const extra = s.additionalProperties;
    // An open map (form sections, checklists): a few keys named by propertyNames.
    const mapArb: fc.Arbitrary<Array<[string, J]>> =
      depth <= MAX_DEPTH && extra && typeof extra === 'object'
        ? fc.array(fc.tuple(this.key((s.propertyNames ?? {}) as Schema), this.arb(extra as Schema, '', depth + 1)), {
            maxLength: names.length ? 2 : 4,
          })
        : extra === true && depth <= MAX_DEPTH
          ? fc.array(fc.tuple(this.key((s.propertyNames ?? {}) as Schema), anyJson(1)), { maxLength: 2 })
          : fc.constant([]);
    const fixed = fc.tuple(
      ...names.map((n) =>
        required.has(n)
          ? this.arb(props[n] as Schema, n, depth + 1).map((v) => [n, v] as [string, J])
          : fc.option(
              this.arb(props[n] as Schema, n, depth + 1).map((v) => [n, v] as [string, J]),
              { nil: undefined, freq: 2 },
            ),
      ),
    );
    return fc.tuple(fixed, mapArb).map(([f, m]) => {
      const entries = (f as Array<[string, J] | undefined>).filter((e): e is [string, J] => e !== undefined);
      const seen = new Set(entries.map(([k]) => k));
      for (const [k, v] of m) if (!seen.has(k)) (seen.add(k), entries.push([k, v]));
      // minProperties: top up from the optional properties (in order); maxProperties: drop optional ones.
      for (const n of names) {
        if (entries.length >= minP) break;
        if (!seen.has(n))
          entries.push([
            n,
            fc.sample(this.arb(props[n] as Schema, n, depth + 1), { numRuns: 1, seed: entries.length })[0] as J,
          ]);
      }
      while (entries.length > maxP) {
        const i = entries.findIndex(([k]) => !required.has(k));
        if (i < 0) break;
        entries.splice(i, 1);
      }
      return obj(entries);
    });
  }

  /** A key of an open map: its propertyNames constraints, never a reserved name. */
  private key(names: Schema): fc.Arbitrary<string> {
    const s = this.flatten(names);
    const min = Math.max(1, num(s.minLength, 1));
    const max = Math.max(min, Math.min(num(s.maxLength, 20), 20));
    return fc
      .oneof(
        fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,15}$/),
        fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
      )
      .filter((k) => k.length >= min && k.length <= num(s.maxLength, Infinity) && !RESERVED.has(k));
  }
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
const singular = (name: string): string => (name.endsWith('Ids') ? name.slice(0, -1) : name === 'ids' ? 'id' : '');

/** Any small JSON value. */
export function anyJson(depth: number): fc.Arbitrary<J> {
  const scalar: fc.Arbitrary<J> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }),
  );
  if (depth <= 0) return scalar;
  return fc.oneof(
    { arbitrary: scalar, weight: 3 },
    { arbitrary: fc.array(anyJson(depth - 1), { maxLength: 3 }), weight: 1 },
    {
      arbitrary: fc
        .array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), anyJson(depth - 1)), { maxLength: 3 })
        .map((e) => obj(e)),
      weight: 1,
    },
  );
}
