import { z } from "zod";
import { badRequest } from "@/lib/errors";

/**
 * Query-string parsing shared by the read APIs (usage, audit): every parameter is known, given at
 * most once, and checked by a zod shape; the first problem is a 400 that names the parameter.
 */

/** An ISO 8601 date or date-time (UTC unless it says otherwise), as a Date; 2026-02-30 and pre-1970 are refused. */
export const isoInstant = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, { error: `${name}: must be an ISO 8601 date or date-time (2026-11-01 or 2026-11-01T12:00:00Z)` })
    .transform((s, ctx) => {
      const t = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : /[Zz]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`);
      const [y, m, d] = s.slice(0, 10).split("-").map(Number) as [number, number, number];
      const day = new Date(Date.UTC(y, m - 1, d));
      // JavaScript rolls 2026-02-30 over to March; a calendar day that does not exist is an error
      if (Number.isNaN(t.getTime()) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) {
        ctx.addIssue({ code: "custom", message: `${name}: is not a real date` });
        return z.NEVER;
      }
      // PostgreSQL has no year 0, and nothing was recorded before the epoch
      if (y < 1970) {
        ctx.addIssue({ code: "custom", message: `${name}: must not be before 1970` });
        return z.NEVER;
      }
      return t;
    })
    .optional();

/** Parses a query string against a shape: an unknown or repeated parameter, or a bad value, is a 400 naming it. */
export function parseQueryParams<T extends z.ZodRawShape>(params: URLSearchParams, shape: T): z.infer<z.ZodObject<T>> {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (!(k in shape)) throw badRequest(`unknown parameter '${k.slice(0, 40)}' (accepted: ${Object.keys(shape).join(", ")})`);
    if (k in raw) throw badRequest(`${k}: given more than once`);
    raw[k] = v;
  }
  const parsed = z.object(shape).safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  throw badRequest(issue.message.startsWith(`${field}:`) ? issue.message : `${field}: ${issue.message}`);
}
