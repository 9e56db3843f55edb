/**
 * The building blocks of the configuration sections: how one environment variable is declared (its
 * validation, default and documentation at once) and the TypeScript types derived from those declarations.
 */

/**
 * One environment variable: a JSON-schema fragment (ajv validates, coerces and fills in the default) plus
 * its documentation, which `scripts/env-docs.ts` turns into the README table and `.env.example`.
 */
export interface EnvVariable {
  readonly type: 'string' | 'integer' | 'number';
  /** One or two sentences for the README table and `.env.example`. */
  readonly description: string;
  readonly default?: string | number;
  readonly enum?: readonly (string | number)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  /**
   * Also accepted as a file path in NAME_FILE (Docker/Kubernetes secrets); the value is never echoed in a
   * problem. An annotation only: ajv knows the keyword and ignores it.
   */
  readonly secretFile?: true;
}

/** The variables one section declares, by name, in documentation order. */
export type EnvSection = Readonly<Record<string, EnvVariable>>;

/** The sections merged into one: the intersection of every section's declarations. */
export type MergedSections<S extends readonly EnvSection[]> = S extends readonly [
  infer Head,
  ...infer Rest extends readonly EnvSection[],
]
  ? Head & MergedSections<Rest>
  : unknown;

/** The value of one variable after validation: one of its enum values, a string or a number. */
type ValueOf<V> = V extends { readonly enum: readonly (infer E)[] }
  ? E
  : V extends { readonly type: 'string' }
    ? string
    : number;

type WithDefault<S> = { [K in keyof S]: S[K] extends { readonly default: unknown } ? K : never }[keyof S];
type WithoutDefault<S> = Exclude<keyof S, WithDefault<S>>;

/**
 * The validated values of a set of declarations: a variable with a default is always present, one without
 * may be missing.
 */
export type EnvValuesOf<S> = { -readonly [K in WithDefault<S>]: ValueOf<S[K]> } & {
  -readonly [K in WithoutDefault<S>]?: ValueOf<S[K]>;
};

/** The deployment profile, as every section's cross-field rules see it. */
export interface Profile {
  /** The production profile applies (APP_ENV=production, or NODE_ENV=production). */
  production: boolean;
  /** The setting that turned it on, as the problems name it. */
  name: 'APP_ENV=production' | 'NODE_ENV=production';
}

/**
 * The sections' declarations as one object, in the order given (the documentation order). A variable
 * declared by two sections is a programming error, refused when the module loads.
 */
export function mergeSections<S extends readonly EnvSection[]>(...sections: S): MergedSections<S> {
  const all: Record<string, EnvVariable> = {};
  for (const section of sections)
    for (const [name, variable] of Object.entries(section)) {
      if (name in all) throw new Error(`configuration: ${name} is declared by two sections`);
      all[name] = variable;
    }
  return all as MergedSections<S>;
}
