/**
 * A small pool of recorded provider-shaped keys (test/support/keys.ts) for the generators to draw
 * from, so that thousands of cases do not record thousands of keys (every response is checked
 * against all of them). Broken variants keep the secret marker, so an echo of one is still caught.
 */
import fc from "fast-check";
import { PROVIDER_TYPES, type ProviderType } from "../../../lib/providers/catalogue";
import { type Behaviour, providerKey } from "../../support/keys";

export { PROVIDER_TYPES };
export const BUILTIN_TYPES = PROVIDER_TYPES.filter((t) => t !== "custom");
/** Behaviours the fake provider answers at once (no "hang"). */
export const QUICK_BEHAVIOURS: Behaviour[] = ["", "", "", "invalid", "ratelimit", "error500", "forbidden"];

const pool = new Map<string, string[]>();

/** `n` recorded keys of a type and behaviour (made once per file). */
export function keysOf(type: ProviderType, behaviour: Behaviour = "", n = 4): string[] {
  const id = `${type}/${behaviour}`;
  if (!pool.has(id)) pool.set(id, Array.from({ length: n }, () => providerKey(type, behaviour)));
  return pool.get(id)!;
}

/** A good key for any provider type. */
export const goodKey: fc.Arbitrary<string> = fc.constantFrom(...PROVIDER_TYPES).chain((t) => fc.constantFrom(...keysOf(t)));

/** Keys the schema refuses: whitespace or control or non-ASCII characters inside, too short, too long. */
export const badKey: fc.Arbitrary<string> = fc
  .tuple(goodKey, fc.constantFrom(" ", "\t", "\n", "\u0000", "\u007f", "é", "\u200b", "😀"), fc.nat({ max: 1000 }), fc.constantFrom("insert", "short", "long"))
  .map(([k, c, at, how]) => {
    if (how === "short") return k.slice(0, 9);
    if (how === "long") return k + "a".repeat(4097 - k.length);
    const i = 1 + (at % (k.length - 2));
    return k.slice(0, i) + c + k.slice(i);
  });

/** Provider types as a client might type them: any case, surrounding whitespace. */
export const typeSpelling = (types: readonly string[] = PROVIDER_TYPES): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...types).chain((t) => fc.mixedCase(fc.constant(t))), fc.constantFrom("", " ", "\t", "  \n"))
    .map(([t, pad]) => `${pad}${t}${pad}`);

/** Names the schema accepts: 1-100 characters after trimming, no control characters, any script. */
export const goodName: fc.Arbitrary<string> = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
  .map((s) => s.replace(/[\u0000-\u001f\u007f]/g, ""))
  .filter((s) => s.trim().length > 0 && s.trim().length <= 100);
