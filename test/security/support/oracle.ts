/**
 * What the app must answer to a body, judged from the outside with its own published rules (JSON
 * only, 64 KiB, an object, then the request schema): the status for a rejected body, or "valid"
 * with the parsed value when the schema accepts it (then the outcome depends on the service).
 */
import type { ZodType } from "zod";
import type { ApiResponse } from "../../support/client";
import { isJsonType } from "./arbitraries";

export type Verdict = { reject: number; code: string } | { valid: unknown };

/** The text as the server receives it (fetch sends lone surrogates as U+FFFD). */
export const onTheWire = (text: string) => text.toWellFormed();

export function judgeBody(schema: ZodType, type: string, text: string): Verdict {
  if (!isJsonType(type)) return { reject: 415, code: "unsupported_media_type" };
  const wire = onTheWire(text);
  if (Buffer.byteLength(wire) > 64 * 1024) return { reject: 413, code: "payload_too_large" };
  let data: unknown;
  try {
    data = JSON.parse(wire);
  } catch {
    return { reject: 400, code: "invalid_request" };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { reject: 400, code: "invalid_request" };
  const parsed = schema.safeParse(data);
  return parsed.success ? { valid: parsed.data } : { reject: 400, code: "invalid_request" };
}

export const isRejected = (v: Verdict): v is { reject: number; code: string } => "reject" in v;

/** A check for a rejected body: that status and code, and a short detail (never an echo of a huge input). */
export function expectRejected(v: { reject: number; code: string }) {
  return (res: ApiResponse): string | null => {
    if (res.status !== v.reject) return `expected ${v.reject} ${v.code}`;
    if (res.body?.code !== v.code) return `expected code ${v.code}`;
    if (res.body.detail.length === 0 || res.body.detail.length > 500) return "detail empty or longer than 500 characters";
    return null;
  };
}
