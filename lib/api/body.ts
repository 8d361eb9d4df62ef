import "server-only";
import type { ZodType } from "zod";
import { AppError, badRequest } from "@/lib/errors";

const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON body: must be sent as application/json (415), at most 64 KiB (413), an object. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new AppError(415, "unsupported_media_type", "Request body must be JSON sent with Content-Type: application/json");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new AppError(413, "payload_too_large", "Request body is larger than 64 KiB");
  let text: string;
  try {
    text = await req.text();
  } catch {
    // the client stopped sending (closed, reset or half-closed before Content-Length): its fault,
    // and not a sign of a database outage even though the stream error says ECONNRESET
    throw badRequest("Request body ended before its declared Content-Length", "incomplete_body");
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError(413, "payload_too_large", "Request body is larger than 64 KiB");
  if (text.trim() === "") throw badRequest("Request body is empty; send a JSON object");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw badRequest("Request body must be a JSON object");
  return data;
}

/** Validates with a schema; the first problem becomes a 400 whose detail names the field. */
export function parseWith<T>(schema: ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw badRequest("Request body is invalid");
  const field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `'${k.slice(0, 40)}'`).join(", ");
    throw badRequest(`${field ? `${field}: ` : ""}unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}`);
  }
  throw badRequest(field ? `${field}: ${issue.message}` : issue.message);
}
