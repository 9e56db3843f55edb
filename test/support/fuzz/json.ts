/**
 * JSON as the fuzzer writes it: objects keep their entries as a list (so `__proto__`, `constructor` and
 * duplicate keys are sent as plain keys, never turned into a prototype by a JavaScript object literal) and
 * raw tokens are written verbatim (numbers JSON.stringify cannot write, such as 1e400 or
 * 123456789012345678901234567890).
 */
export class JObj {
  constructor(readonly entries: Array<[string, J]>) {}
}

export class JRaw {
  constructor(readonly text: string) {}
}

export type J = null | boolean | number | string | JRaw | JObj | J[];

export const obj = (entries: Array<[string, J]> = []): JObj => new JObj(entries);
export const raw = (text: string): JRaw => new JRaw(text);

/** Serialises without recursion (deeply nested values are part of the hostile input). */
export function stringify(root: J): string {
  const out: string[] = [];
  const stack: Array<J | { close: string } | { sep: string }> = [root];
  while (stack.length > 0) {
    const v = stack.pop() as J | { close: string } | { sep: string };
    if (v !== null && typeof v === 'object' && 'close' in v) {
      out.push(v.close);
    } else if (v !== null && typeof v === 'object' && 'sep' in v) {
      out.push(v.sep);
    } else if (v instanceof JRaw) {
      out.push(v.text);
    } else if (v instanceof JObj) {
      out.push('{');
      stack.push({ close: '}' });
      for (let i = v.entries.length - 1; i >= 0; i--) {
        const [k, val] = v.entries[i] as [string, J];
        stack.push(val);
        stack.push({ sep: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` });
      }
    } else if (Array.isArray(v)) {
      out.push('[');
      stack.push({ close: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i] as J);
        if (i > 0) stack.push({ sep: ',' });
      }
    } else if (typeof v === 'number') {
      out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
    } else {
      out.push(JSON.stringify(v));
    }
  }
  return out.join('');
}

/** A plain JavaScript value as J (for bodies built by hand). */
export function fromPlain(v: unknown): J {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object')
    return obj(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)]));
  return String(v);
}

/** Every container in the tree with its path, breadth first (bounded: hostile trees can be deep). */
export function containers(root: J, limit = 500): Array<{ node: JObj | J[]; depth: number }> {
  const out: Array<{ node: JObj | J[]; depth: number }> = [];
  const queue: Array<{ node: J; depth: number }> = [{ node: root, depth: 0 }];
  while (queue.length > 0 && out.length < limit) {
    const { node, depth } = queue.shift() as { node: J; depth: number };
    if (node instanceof JObj) {
      out.push({ node, depth });
      for (const [, v] of node.entries) queue.push({ node: v, depth: depth + 1 });
    } else if (Array.isArray(node)) {
      out.push({ node, depth });
      for (const v of node) queue.push({ node: v, depth: depth + 1 });
    }
  }
  return out;
}

/** Deep copy (the generated values are shared between samples otherwise). */
export function clone(v: J): J {
  if (v instanceof JObj) return obj(v.entries.map(([k, x]) => [k, clone(x)]));
  if (Array.isArray(v)) return v.map(clone);
  return v;
}
