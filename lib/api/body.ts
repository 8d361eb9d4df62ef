import "server-only";
import type { IncomingMessage } from "node:http";
import type { ZodType } from "zod";
import { AppError, badRequest } from "@/lib/errors";

/** The largest JSON body the API reads; its biggest requests are a few KiB. */
export const JSON_BODY_LIMIT = 64 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

// The rest of the body is never read: the answer closes the connection (lib/api/request-guard.ts).
const tooLarge = (limit: number) => new AppError("payload_too_large", `Request body is larger than ${sizeText(limit)}`);

/**
 * The request's body as bytes, never more than `limit` of them: a declared Content-Length over the
 * limit is refused unread, and every body (a chunked one declares no length) is counted as it
 * streams and refused with 413 at the first chunk past the limit, its stream cancelled. The one
 * reader of request bodies: JSON routes reach it through `readJsonBody` (apiRoute's `body`), and a
 * route that takes raw bytes calls it with its own limit.
 */
export async function readBodyBytes(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      // the client stopped sending (closed, reset or half-closed early): its fault, and not a sign
      // of a database outage even though the stream error says ECONNRESET
      throw new AppError(
        "incomplete_body",
        declared === null ? "Request body ended before it was complete" : "Request body ended before its declared Content-Length",
      );
    }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(step.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * readBodyBytes for a request the server hands over as Node's own (the gateway's fast path:
 * lib/gateway/request.ts), with the same limits, errors and messages, read from the socket without
 * a Web stream in between. A body past the limit is left unread: the 413 closes the connection
 * (lib/api/request-guard.ts).
 */
export function readNodeBodyBytes(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return Promise.resolve(new Uint8Array(0));
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  // a request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3)
  if (req.headers["transfer-encoding"] === undefined && (declared ?? "0") === "0") return Promise.resolve(new Uint8Array(0));
  const incomplete = () =>
    new AppError("incomplete_body", declared === undefined ? "Request body ended before it was complete" : "Request body ended before its declared Content-Length");
  if (req.readableEnded) return Promise.reject(new Error("the request body was already read"));
  if (req.destroyed) return Promise.reject(incomplete());
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (err: AppError | null) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onBroken);
      req.off("close", onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.pause();
        return settle(tooLarge(limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(null);
    // the client stopped sending (closed, reset or half-closed early): its fault, not an outage
    const onBroken = () => settle(incomplete());
    const onClose = () => {
      if (!req.complete) settle(incomplete());
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onBroken);
    req.on("close", onClose);
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The request's JSON body: must be sent as application/json (415), at most `limit` bytes (413,
 * 64 KiB unless told), UTF-8, and a JSON object (or, with `shape: "array"`, a JSON array).
 */
export async function readJsonBody(req: Request, limit = JSON_BODY_LIMIT, shape: "object" | "array" = "object"): Promise<unknown> {
  if (!JSON_TYPE.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Request body must be JSON sent with Content-Type: application/json");
  }
  const bytes = await readBodyBytes(req, limit);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest("Request body is not valid UTF-8");
  }
  if (text.trim() === "") throw badRequest(`Request body is empty; send a JSON ${shape}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON");
  }
  if (shape === "array") {
    if (!Array.isArray(data)) throw badRequest("Request body must be a JSON array of records");
    return data;
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
