/**
 * JSON with own-property semantics only. A sidecar is untrusted input: a key
 * named `__proto__`, `constructor` or `toString` is data like any other and
 * must neither reach an object's prototype nor be shadowed by one. Objects
 * that may hold such keys are parsed without prototype, and code that copies
 * or looks up keys it does not know goes through these helpers (`own`,
 * `bareObject`), whatever the object.
 */

export type JsonObject = Record<string, unknown>;

/** A new object without prototype: `o[k] = v` creates an own property for every `k`, `__proto__` included. */
export function bareObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

/** `o[k]` if `o` has an own property `k` (never an inherited one). */
export function own(o: object, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? (o as JsonObject)[k] : undefined;
}

/** Keys that would clash with a prototype: every Object.prototype member (`__proto__`, `constructor`, `toString`, …). */
const CLASHING = Object.getOwnPropertyNames(Object.prototype);
/**
 * Text in which such a key may occur: one of the names in quotes, or any
 * `\u` escape (`"\u005f_proto__"` is `__proto__` too).
 */
const MAY_CLASH = new RegExp(`"(?:${CLASHING.join('|')})"|\\\\u`);

/**
 * JSON.parse, with every object rebuilt without a prototype when the text
 * holds a key that could clash with one. Without such a key (the common case,
 * checked by one scan of the text) the parsed objects keep the ordinary
 * prototype: none of their keys can reach or shadow it, and V8 handles them
 * far faster than prototype-free ones (a 200,000-annotation sidecar).
 * Iterative, so deep nesting cannot overflow the stack. Throws SyntaxError
 * (not JSON) or RangeError (nesting beyond what JSON.parse accepts).
 */
export function parseJson(src: string): unknown {
  const root = JSON.parse(src) as unknown;
  if (!MAY_CLASH.test(src)) return root;
  const box = [root];
  // Each entry: a container and the key/index in it whose value is still to be rebuilt.
  const stack: [unknown[] | JsonObject, string | number][] = [[box, 0]];
  while (stack.length) {
    const [holder, key] = stack.pop()!;
    const v = (holder as JsonObject)[key as string];
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' && v[i] !== null) stack.push([v, i]);
      continue;
    }
    const o = bareObject();
    for (const k of Object.keys(v)) {
      o[k] = (v as JsonObject)[k];
      if (typeof o[k] === 'object' && o[k] !== null) stack.push([o, k]);
    }
    (holder as JsonObject)[key as string] = o;
  }
  return box[0];
}
