/**
 * A small language for the shapes of values that cross the protocol
 * (command arguments, request params), so they are declared once in
 * protocol.ts and checked at the server's door: a wrong shape from any editor
 * is a clear message naming the field, never an internal TypeError deep in a
 * handler. Like protocol.ts, this module imports nothing (the client bundles it).
 */

export interface Shape<T> {
  /** Human-readable expectation, e.g. `a string of at most 200 characters`. */
  readonly expected: string;
  /** Appends `path: problem` lines to `errors` for everything wrong with `v`. */
  check(v: unknown, path: string, errors: string[]): void;
  /** Phantom: the TypeScript type the shape accepts. */
  readonly __type?: T;
  /** Set by `optional`: the key may be missing. */
  readonly optional?: boolean;
}

export type Infer<S> = S extends Shape<infer T> ? T : never;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function shape<T>(expected: string, ok: (v: unknown) => boolean): Shape<T> {
  return {
    expected,
    check(v, path, errors) {
      if (!ok(v)) errors.push(`${path}: expected ${expected}, got ${describe(v)}`);
    },
  };
}

export function str(maxLength = 10_000, minLength = 0): Shape<string> {
  return shape(`a string of ${minLength ? `${minLength}–` : 'at most '}${maxLength} characters`, (v) => typeof v === 'string' && v.length <= maxLength && v.length >= minLength);
}

export function int(min = 0, max = Number.MAX_SAFE_INTEGER): Shape<number> {
  return shape(`a whole number in [${min}, ${max}]`, (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max);
}

export function num(min: number, max: number): Shape<number> {
  return shape(`a number in [${min}, ${max}]`, (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max);
}

export const bool: Shape<boolean> = shape('true or false', (v) => typeof v === 'boolean');

export function oneOf<T extends string>(values: readonly T[]): Shape<T> {
  return shape(`one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, (v) => typeof v === 'string' && (values as readonly string[]).includes(v));
}

export function optional<T>(s: Shape<T>): Shape<T | undefined> {
  return {
    expected: `${s.expected} (optional)`,
    optional: true,
    check(v, path, errors) {
      if (v !== undefined && v !== null) s.check(v, path, errors);
    },
  };
}

export function array<T>(item: Shape<T>, maxItems: number): Shape<T[]> {
  return {
    expected: `a list of at most ${maxItems} × ${item.expected}`,
    check(v, path, errors) {
      if (!Array.isArray(v) || v.length > maxItems) {
        errors.push(`${path}: expected a list of at most ${maxItems} items, got ${describe(v)}`);
        return;
      }
      for (let i = 0; i < v.length && errors.length < 20; i++) item.check(v[i], `${path}[${i}]`, errors);
    },
  };
}

type Props = Record<string, Shape<unknown>>;
type OptionalKeys<P extends Props> = { [K in keyof P]: undefined extends Infer<P[K]> ? K : never }[keyof P];
type RequiredKeys<P extends Props> = Exclude<keyof P, OptionalKeys<P>>;
type Simplify<T> = { [K in keyof T]: T[K] };
export type ObjectOf<P extends Props> = Simplify<{ [K in RequiredKeys<P>]: Infer<P[K]> } & { [K in OptionalKeys<P>]?: Infer<P[K]> }>;

/** An object with these properties; other properties are allowed and ignored (editors add their own). */
export function object<P extends Props>(props: P): Shape<ObjectOf<P>> {
  return {
    expected: `an object with ${Object.keys(props).join(', ')}`,
    check(v, path, errors) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        errors.push(`${path}: expected an object, got ${describe(v)}`);
        return;
      }
      const o = v as Record<string, unknown>;
      for (const [k, s] of Object.entries(props)) {
        const value = Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
        if (value === undefined && !s.optional) errors.push(`${path}.${k}: required (${s.expected})`);
        else s.check(value, `${path}.${k}`, errors);
      }
    },
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function checkShape<T>(s: Shape<T>, v: unknown, path = 'argument'): Checked<T> {
  const errors: string[] = [];
  s.check(v, path, errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: v as T };
}

/** Compile-time check that a declared interface and a shape describe the same type. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
