import { z } from "zod";

/**
 * How every REST request body is read, shared by the resources' schemas (docs/api.md, "Nulls and
 * unknown fields"). Messages are written to be read after "<field>: ".
 */
export const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

export type Shape = Record<string, z.ZodType>;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * How the old service's models read a body, kept so that its clients work unchanged (docs/api.md,
 * "Nulls and unknown fields"): `null` for an optional field means the field is absent; with `ignoreUnknown`, a field
 * the shape does not know is dropped instead of refused, and its name is kept in `ignoredFields` so
 * that a response can warn about it (a misspelt `require_valid` should not pass unnoticed). Wrong
 * types are still refused, naming the field.
 */
export function asOldServiceRead(shape: Shape, ignoreUnknown: boolean) {
  const optional = new Set(Object.keys(shape).filter((k) => shape[k]!.safeParse(undefined).success));
  return (input: unknown) => {
    if (!isRecord(input)) return input;
    const kept: [string, unknown][] = [];
    const ignored: string[] = [];
    for (const [k, v] of Object.entries(input)) {
      if (ignoreUnknown && !Object.hasOwn(shape, k)) ignored.push(k);
      else if (!(v === null && optional.has(k))) kept.push([k, v]);
    }
    if (ignored.length) kept.push(["ignoredFields", ignored]);
    // fromEntries defines own properties: a "__proto__" key stays a key (and is refused), never a prototype
    return Object.fromEntries(kept);
  };
}

/** A request body of the REST endpoints: see asOldServiceRead. */
export function contractBody<S extends Shape>(shape: S) {
  return z.preprocess(
    asOldServiceRead(shape, true),
    z.object({ ...shape, ignoredFields: z.array(z.string()).optional() }, { error: "must be an object" }),
  );
}

export const unknownFields = (names: readonly string[]) =>
  `unknown field${names.length > 1 ? "s" : ""} ${names.slice(0, 5).map((k) => `'${k.slice(0, 40)}'`).join(", ")}${names.length > 5 ? ` and ${names.length - 5} more` : ""}`;

/** The warning for fields a request body carried that this API does not know (none when there were none). */
export function ignoredFieldsWarning(names: readonly string[] | undefined): string[] {
  return names?.length ? [`Ignored ${unknownFields(names)}.`] : [];
}
