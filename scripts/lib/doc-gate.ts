/**
 * The documentation gate (docs/CONTRIBUTING.md, "The documentation gate"): a pure check of the OpenAPI
 * contract and of the TypeScript sources, run by `make lint` through scripts/doc-gate.ts. It reads nothing
 * itself, so tests can feed it a spec object and source texts.
 *
 * OpenAPI rules, per operation:
 * - tags (at least one), summary and description, each non-empty;
 * - a 2xx response; when it has a JSON body (application/json or a +json type), an example: `example` or
 *   `examples` on the media type, or `example`/`examples` on its schema (followed through `$ref`). Bodies of
 *   other media types (PDF, HTML, images) need none: a byte example documents nothing;
 * - 500 for every operation, 401 for every secured one (its own `security`, else the document's, is not
 *   empty and has no `{}` alternative), 400 for every one that takes input (parameters or a request body);
 * - every parameter has a description (its own, or that of the components parameter it references).
 * Per schema, wherever it appears (components.schemas, parameters, request bodies, responses, headers, and
 * nested: properties, items, allOf/anyOf/oneOf, additionalProperties...), every property has a description.
 * A property that is a `$ref` is described when it carries its own `description` next to the `$ref` or when
 * the schema it points to has one (a property typed as `Role` is then described by `Role`).
 *
 * TypeScript rules: every method of an exported interface in src/ports/*.ts (a method signature or a
 * property whose type is a function type), and every exported class in src/application/ that has a public
 * method (the use cases and their services), has a JSDoc comment with text (`/** ... *\/`; line comments do
 * not count).
 */
import ts from 'typescript';

export interface SourceText {
  /** Repository-relative path with forward slashes, e.g. src/ports/clock.ts. */
  path: string;
  text: string;
}

export interface DocGateInput {
  /** openapi.yaml, parsed. */
  spec: Record<string, unknown>;
  /** Where the spec came from, used as the prefix of its problems. */
  specPath?: string;
  /** Source files; only those under src/ports/ (directly) and src/application/ are checked. */
  sources: SourceText[];
}

export interface DocGateStats {
  operations: number;
  /** Operations with no OpenAPI problem. */
  operationsComplete: number;
  properties: number;
  /** Properties with their own description, or a `$ref` to a described schema. */
  propertiesDescribed: number;
  portMethods: number;
  portMethodsDocumented: number;
  useCases: number;
  useCasesDocumented: number;
}

export interface DocGateResult {
  /** One line per problem, `<file> <where>: <what>`, in document order. */
  problems: string[];
  stats: DocGateStats;
}

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasText = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;
const isJsonMedia = (media: string): boolean => /^application\/(.+\+)?json\b/i.test(media);

/** Follows a local `$ref` ("#/components/..."); undefined when it does not resolve. */
function resolve(spec: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = spec;
  for (const raw of ref.slice(2).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[seg];
  }
  return isObject(node) ? node : undefined;
}

/** The object itself, or the target of its `$ref` (one level of indirection at a time, at most 10). */
function deref(spec: Json, node: unknown): Json | undefined {
  let current = node;
  for (let i = 0; i < 10 && isObject(current) && typeof current.$ref === 'string'; i++)
    current = resolve(spec, current.$ref);
  return isObject(current) ? current : undefined;
}

/** Subschema keywords of JSON Schema 2020-12 (what a walk into a schema follows). */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const SCHEMA_SINGLES = [
  'items',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
] as const;

interface PropertyTally {
  properties: number;
  described: number;
}

/**
 * Walks one schema (not into `$ref` targets: those are walked where they are defined) and reports each
 * property without a description. `label` names the schema; `path` is the property path within it.
 */
function checkSchema(
  spec: Json,
  schema: unknown,
  label: string,
  path: string,
  out: string[],
  tally: PropertyTally,
): void {
  if (!isObject(schema)) return;
  const props = schema.properties;
  if (isObject(props)) {
    for (const [name, prop] of Object.entries(props)) {
      const at = path ? `${path}.${name}` : name;
      tally.properties++;
      if (isPropertyDescribed(spec, prop)) tally.described++;
      else if (isObject(prop) && typeof prop.$ref === 'string')
        out.push(`${label}: property ${at} has no description (neither has its $ref target ${prop.$ref})`);
      else out.push(`${label}: property ${at} has no description`);
    }
  }
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (!isObject(map)) continue;
    for (const [name, sub] of Object.entries(map))
      checkSchema(
        spec,
        sub,
        label,
        key === 'properties' ? (path ? `${path}.${name}` : name) : `${path}${path ? '.' : ''}${key}[${name}]`,
        out,
        tally,
      );
  }
  for (const key of SCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list))
      list.forEach((sub, i) =>
        checkSchema(spec, sub, label, key === 'prefixItems' ? `${path}[${i}]` : path, out, tally),
      );
  }
  for (const key of SCHEMA_SINGLES) {
    const sub = schema[key];
    if (!isObject(sub)) continue;
    const suffix =
      key === 'items' || key === 'contains' || key === 'unevaluatedItems'
        ? '[]'
        : key === 'additionalProperties' || key === 'unevaluatedProperties'
          ? '{}'
          : '';
    checkSchema(spec, sub, label, `${path}${suffix}`, out, tally);
  }
}

function isPropertyDescribed(spec: Json, prop: unknown): boolean {
  if (!isObject(prop)) return false; // `true`/`false` schemas describe nothing
  if (hasText(prop.description)) return true;
  if (typeof prop.$ref === 'string') return hasText(deref(spec, prop)?.description);
  return false;
}

function hasExample(spec: Json, media: Json): boolean {
  if (media.example !== undefined || isObject(media.examples)) return true;
  const schema = deref(spec, media.schema);
  if (!schema) return false;
  // Only the schema's own example: an example of one allOf part would show half a body.
  return schema.example !== undefined || Array.isArray(schema.examples);
}

/** Schemas of the content map of a request body, response or parameter, with their media type. */
function contentSchemas(content: unknown): Array<[string, Json]> {
  if (!isObject(content)) return [];
  return Object.entries(content).filter((e): e is [string, Json] => isObject(e[1]));
}

function checkResponseSchemas(spec: Json, response: unknown, label: string, out: string[], tally: PropertyTally): void {
  if (!isObject(response) || typeof response.$ref === 'string') return; // components are walked once, where defined
  for (const [media, m] of contentSchemas(response.content))
    checkSchema(spec, m.schema, `${label} (${media})`, '', out, tally);
  if (isObject(response.headers)) {
    for (const [name, header] of Object.entries(response.headers))
      if (isObject(header)) checkSchema(spec, header.schema, `${label} header ${name}`, '', out, tally);
  }
}

/** Inline parameters need a description; a `$ref` parameter is checked where components define it. */
function checkParameters(spec: Json, params: unknown[], where: string, out: string[], tally: PropertyTally): void {
  for (const raw of params) {
    if (!isObject(raw) || typeof raw.$ref === 'string') continue;
    if (!hasText(raw.description))
      out.push(`${where}: parameter ${String(raw.name)} (${String(raw.in)}) has no description`);
    checkSchema(spec, raw.schema, `${where} parameter ${String(raw.name)}`, '', out, tally);
  }
}

function isSecured(spec: Json, op: Json): boolean {
  const security = (op.security ?? spec.security) as unknown;
  if (!Array.isArray(security) || security.length === 0) return false;
  return !security.some((req) => isObject(req) && Object.keys(req).length === 0);
}

/** The OpenAPI half of the gate. */
export function checkOpenApi(
  spec: Json,
  file = 'openapi.yaml',
): { problems: string[]; operations: number; operationsComplete: number; tally: PropertyTally } {
  const problems: string[] = [];
  const tally: PropertyTally = { properties: 0, described: 0 };
  let operations = 0;
  let operationsComplete = 0;
  const components = isObject(spec.components) ? spec.components : {};

  for (const [name, schema] of Object.entries(isObject(components.schemas) ? components.schemas : {})) {
    checkSchema(spec, schema, `${file} #/components/schemas/${name}`, '', problems, tally);
  }
  for (const [name, param] of Object.entries(isObject(components.parameters) ? components.parameters : {})) {
    if (!isObject(param)) continue;
    if (!hasText(param.description))
      problems.push(`${file} #/components/parameters/${name}: parameter ${String(param.name)} has no description`);
    checkSchema(spec, param.schema, `${file} #/components/parameters/${name}`, '', problems, tally);
  }
  for (const [name, body] of Object.entries(isObject(components.requestBodies) ? components.requestBodies : {})) {
    if (!isObject(body)) continue;
    for (const [media, m] of contentSchemas(body.content))
      checkSchema(spec, m.schema, `${file} #/components/requestBodies/${name} (${media})`, '', problems, tally);
  }
  for (const [name, response] of Object.entries(isObject(components.responses) ? components.responses : {})) {
    checkResponseSchemas(spec, response, `${file} #/components/responses/${name}`, problems, tally);
  }

  for (const [path, rawItem] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
    const item = deref(spec, rawItem);
    if (!item) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    // Parameters shared by the path's operations are checked once, for the path.
    checkParameters(spec, shared, `${file} ${path}`, problems, tally);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      operations++;
      const where = `${file} ${method.toUpperCase()} ${path}`;
      const before = problems.length;
      const own: string[] = [];

      if (!Array.isArray(op.tags) || op.tags.length === 0 || !op.tags.every(hasText))
        own.push(`${where}: operation has no tags`);
      if (!hasText(op.summary)) own.push(`${where}: operation has no summary`);
      if (!hasText(op.description)) own.push(`${where}: operation has no description`);

      const ownParams = Array.isArray(op.parameters) ? op.parameters : [];
      checkParameters(spec, ownParams, where, own, tally);
      const params = [...shared, ...ownParams];
      const body = deref(spec, op.requestBody);
      if (body && !(isObject(op.requestBody) && typeof op.requestBody.$ref === 'string')) {
        for (const [media, m] of contentSchemas(body.content))
          checkSchema(spec, m.schema, `${where} request body (${media})`, '', own, tally);
      }

      const responses = isObject(op.responses) ? op.responses : {};
      const codes = Object.keys(responses);
      const success = codes.filter((c) => /^2(\d\d|XX)$/i.test(c));
      if (success.length === 0) own.push(`${where}: operation has no 2xx response`);
      for (const code of success) {
        const response = deref(spec, responses[code]);
        for (const [media, m] of contentSchemas(response?.content)) {
          if (isJsonMedia(media) && !hasExample(spec, m))
            own.push(`${where}: response ${code} (${media}) has no example`);
        }
      }
      if (!codes.includes('500')) own.push(`${where}: operation does not declare its 500 response`);
      if (isSecured(spec, op) && !codes.includes('401'))
        own.push(`${where}: secured operation does not declare its 401 response`);
      if ((params.length > 0 || op.requestBody !== undefined) && !codes.includes('400'))
        own.push(`${where}: operation takes input but does not declare its 400 response`);
      for (const code of codes) checkResponseSchemas(spec, responses[code], `${where} response ${code}`, own, tally);

      problems.push(...own);
      if (problems.length === before) operationsComplete++;
    }
  }
  return { problems, operations, operationsComplete, tally };
}

/** The text of the JSDoc blocks right before a declaration (empty when there is none). */
function jsDocText(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => `${ts.getTextOfJSDocComment(doc.comment) ?? ''}${doc.tags?.length ? ' @tags' : ''}`)
    .join(' ')
    .trim();
}

function isExported(node: ts.Node, exportedNames: Set<string>, name: string | undefined): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  if (modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  return name !== undefined && exportedNames.has(name);
}

/** Names exported by `export { A, B as C }` statements without a module specifier. */
function namedExports(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const stmt of file.statements) {
    if (
      ts.isExportDeclaration(stmt) &&
      !stmt.moduleSpecifier &&
      stmt.exportClause &&
      ts.isNamedExports(stmt.exportClause)
    ) {
      for (const el of stmt.exportClause.elements) names.add((el.propertyName ?? el.name).text);
    }
  }
  return names;
}

const parse = (source: SourceText): ts.SourceFile =>
  ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
const lineOf = (file: ts.SourceFile, node: ts.Node): number =>
  file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
const memberName = (file: ts.SourceFile, node: ts.TypeElement | ts.ClassElement): string =>
  node.name ? node.name.getText(file) : '(anonymous)';

/** Port methods: members of exported interfaces in src/ports/*.ts that are methods or function-typed properties. */
export function checkPorts(sources: SourceText[]): { problems: string[]; methods: number; documented: number } {
  const problems: string[] = [];
  let methods = 0;
  let documented = 0;
  for (const source of sources) {
    const file = parse(source);
    const exported = namedExports(file);
    for (const stmt of file.statements) {
      if (!ts.isInterfaceDeclaration(stmt) || !isExported(stmt, exported, stmt.name.text)) continue;
      for (const member of stmt.members) {
        const isMethod =
          ts.isMethodSignature(member) ||
          (ts.isPropertySignature(member) && !!member.type && ts.isFunctionTypeNode(member.type));
        if (!isMethod) continue;
        methods++;
        if (jsDocText(member)) documented++;
        else
          problems.push(
            `${source.path}:${lineOf(file, member)} port method ${stmt.name.text}.${memberName(file, member)} has no doc comment`,
          );
      }
    }
  }
  return { problems, methods, documented };
}

const isPublicMethod = (member: ts.ClassElement): member is ts.MethodDeclaration => {
  if (!ts.isMethodDeclaration(member) || ts.isPrivateIdentifier(member.name)) return false;
  const mods = ts.getModifiers(member) ?? [];
  return !mods.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
};

/** Use cases: exported classes in src/application/ with at least one public method. */
export function checkUseCases(sources: SourceText[]): { problems: string[]; classes: number; documented: number } {
  const problems: string[] = [];
  let classes = 0;
  let documented = 0;
  for (const source of sources) {
    const file = parse(source);
    const exported = namedExports(file);
    for (const stmt of file.statements) {
      if (!ts.isClassDeclaration(stmt) || !isExported(stmt, exported, stmt.name?.text)) continue;
      const publicMethods = stmt.members.filter(isPublicMethod);
      if (publicMethods.length === 0) continue;
      classes++;
      const name = stmt.name?.text ?? '(default export)';
      if (jsDocText(stmt)) documented++;
      else
        problems.push(
          `${source.path}:${lineOf(file, stmt)} use case ${name} (${publicMethods.map((m) => memberName(file, m)).join(', ')}) has no doc comment`,
        );
    }
  }
  return { problems, classes, documented };
}

export const isPortSource = (path: string): boolean => /^src\/ports\/[^/]+\.ts$/.test(path);
export const isUseCaseSource = (path: string): boolean => /^src\/application\/.+\.ts$/.test(path);

/** The whole gate: OpenAPI problems first, then ports, then use cases. */
export function runDocGate(input: DocGateInput): DocGateResult {
  const api = checkOpenApi(input.spec, input.specPath);
  const ports = checkPorts(input.sources.filter((s) => isPortSource(s.path)));
  const useCases = checkUseCases(input.sources.filter((s) => isUseCaseSource(s.path)));
  return {
    problems: [...api.problems, ...ports.problems, ...useCases.problems],
    stats: {
      operations: api.operations,
      operationsComplete: api.operationsComplete,
      properties: api.tally.properties,
      propertiesDescribed: api.tally.described,
      portMethods: ports.methods,
      portMethodsDocumented: ports.documented,
      useCases: useCases.classes,
      useCasesDocumented: useCases.documented,
    },
  };
}
