/**
 * HTTP/1.1 over a bare socket, for what fetch will not send: wrong Content-Length, both
 * Content-Length and Transfer-Encoding, bytes that are not UTF-8, a half-closed request. Returns the
 * FIRST response on the connection; every answer is checked for leaked keys like the shared client's.
 */
import net from "node:net";
import { inject } from "vitest";
import { type Json, SecretLeakError } from "../../support/client";
import { findLeak } from "../../support/keys";

export interface RawResponse {
  /** 0 when the server closed or the wait ended without an answer. */
  status: number;
  headers: Record<string, string>;
  text: string;
  body: Json;
  /** True when the wait ended with the connection still open and no answer. */
  timedOut: boolean;
}

export function rawRequest(head: string, body: Buffer | string = "", opts: { halfClose?: boolean; waitMs?: number } = {}): Promise<RawResponse> {
  const { port, hostname } = new URL(inject("baseUrl"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const res = parse(Buffer.concat(chunks), timedOut);
      const leak = findLeak(`${JSON.stringify(res.headers)}\n${res.text}`);
      if (leak) reject(new SecretLeakError(`raw ${head.split("\r\n")[0]} answered ${res.status} with ${leak} in it`));
      else resolve(res);
    };
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(Buffer.concat([Buffer.from(head, "latin1"), Buffer.isBuffer(body) ? body : Buffer.from(body)]));
      if (opts.halfClose) socket.end();
    });
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      if (complete(Buffer.concat(chunks))) finish(false);
    });
    socket.on("close", () => finish(false));
    socket.on("error", () => finish(false));
    const timer = setTimeout(() => finish(true), opts.waitMs ?? 5000);
  });
}

/** A request head: method, path, headers (Host added, and Connection: close unless given), with CRLFs. */
export function head(method: string, path: string, headers: Record<string, string>): string {
  const { host } = new URL(inject("baseUrl"));
  const close = Object.keys(headers).some((k) => k.toLowerCase() === "connection") ? [] : ["Connection: close"];
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, ...close, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

function split(buf: Buffer): { status: number; headers: Record<string, string>; rest: Buffer } | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine = "", ...lines] = buf.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, rest: buf.subarray(end + 4) };
}

function dechunk(buf: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf("\r\n", at);
    if (eol < 0) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(buf.subarray(at, eol).toString("latin1"), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: true };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    if (buf.length < eol + 2 + size) return { body: Buffer.concat(parts), complete: false };
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function bodyOf(h: NonNullable<ReturnType<typeof split>>): { body: Buffer; complete: boolean } {
  if (/chunked/i.test(h.headers["transfer-encoding"] ?? "")) return dechunk(h.rest);
  const len = h.headers["content-length"];
  if (len !== undefined) return { body: h.rest.subarray(0, Number(len)), complete: h.rest.length >= Number(len) };
  return { body: h.rest, complete: false };
}

function complete(buf: Buffer): boolean {
  const h = split(buf);
  return h ? bodyOf(h).complete : false;
}

function parse(buf: Buffer, timedOut: boolean): RawResponse {
  const h = split(buf);
  if (!h) return { status: 0, headers: {}, text: buf.toString("utf8"), body: null, timedOut };
  const text = bodyOf(h).body.toString("utf8");
  let body: Json = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: h.status, headers: h.headers, text, body, timedOut };
}

export interface FloodResult extends RawResponse {
  /** Body bytes written before the answer arrived (or before the server closed, when none did). */
  sentBeforeAnswer: number;
  /** Body bytes written in all. */
  sent: number;
  /** Milliseconds from the first byte sent to the answer (or the close). */
  ms: number;
}

/**
 * Sends `total` bytes of body as a chunked stream of 1 MiB chunks, as fast as the connection takes
 * them, and stops sending at the first byte of an answer, like a client that reads while it sends.
 * `readAfterMs` models a client that is slow to read (descheduled on a loaded machine): it keeps
 * sending but reads nothing for that long after connecting.
 */
export function floodChunked(head: string, total: number, opts: { readAfterMs?: number } = {}): Promise<FloodResult> {
  const { port, hostname } = new URL(inject("baseUrl"));
  const chunk = Buffer.alloc(1024 * 1024, 0x20); // spaces: valid JSON padding, for all the reader can tell
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let sentBeforeAnswer = -1;
    let done = false;
    const started = performance.now();
    let ms = 0;
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const res = parse(Buffer.concat(chunks), timedOut);
      resolve({ ...res, sent, sentBeforeAnswer: sentBeforeAnswer < 0 ? sent : sentBeforeAnswer, ms: ms || performance.now() - started });
    };
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head, "latin1");
      pump();
      if (opts.readAfterMs) {
        socket.pause();
        setTimeout(() => socket.resume(), opts.readAfterMs);
      }
    });
    const pump = () => {
      while (sentBeforeAnswer < 0 && !socket.destroyed && sent < total) {
        sent += chunk.length;
        if (!socket.write(frame)) return void socket.once("drain", pump);
      }
      if (sentBeforeAnswer < 0 && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    socket.on("data", (d: Buffer) => {
      if (sentBeforeAnswer < 0) {
        sentBeforeAnswer = sent;
        ms = performance.now() - started;
      }
      chunks.push(d);
      if (complete(Buffer.concat(chunks))) finish(false);
    });
    socket.on("close", () => finish(false));
    socket.on("error", () => {}); // a reset after the answer (the server closed with body unread) is expected
    const timer = setTimeout(() => finish(true), 120_000);
  });
}
