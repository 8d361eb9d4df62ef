/**
 * A tiny HTTP client for the integration suite: fetch plus a cookie jar. Every response it receives
 * is checked for leaked secrets (the marker or any recorded key) and the test fails loudly if one is
 * found.
 */
import { inject } from "vitest";
import { findLeak } from "./keys";

export interface RequestOptions {
  /** Sets the Origin header. */
  origin?: string;
  /** Overrides Content-Type (default application/json when a body is sent). */
  contentType?: string;
  /** Sends this string as the body instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string>;
  /** Replaces the jar's cookie header for this request (null sends none). */
  cookie?: string | null;
}

/**
 * A parsed JSON answer of the API under test. Deliberately untyped: tests read its fields and assert
 * each one, so a wrong shape fails an assertion rather than a type check.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the body is not JSON. */
  body: T;
  text: string;
  /** Wall-clock time of the request in ms. */
  ms: number;
}

export class SecretLeakError extends Error {
  override name = "SecretLeakError";
}

export class Client {
  private readonly jar = new Map<string, string>();
  /** The raw Set-Cookie headers of the last response that had any. */
  lastSetCookies: string[] = [];

  /** Sent with every request (per-request headers win). */
  readonly defaultHeaders: Record<string, string> = {};

  constructor(readonly baseUrl: string = inject("baseUrl")) {}

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  setCookie(name: string, value: string): void {
    this.jar.set(name, value);
  }

  clearCookies(): void {
    this.jar.clear();
  }

  async login(email: string, password: string): Promise<ApiResponse> {
    return this.post("/api/v1/auth/login", { email, password });
  }

  /** Signs in and fails the test at once unless it worked. */
  async signIn(creds: { email: string; password: string }): Promise<this> {
    const res = await this.login(creds.email, creds.password);
    if (res.status !== 200) throw new Error(`sign-in as ${creds.email} failed: ${res.status} ${res.text}`);
    return this;
  }

  get<T = Json>(path: string, opts?: RequestOptions) {
    return this.request<T>("GET", path, undefined, opts);
  }
  post<T = Json>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>("POST", path, body, opts);
  }
  patch<T = Json>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>("PATCH", path, body, opts);
  }
  delete<T = Json>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>("DELETE", path, body, opts);
  }

  async request<T = Json>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...opts.headers };
    const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
    else if (opts.contentType) headers["content-type"] = opts.contentType;
    if (opts.origin) headers.origin = opts.origin;
    const cookie = opts.cookie === undefined ? this.cookieHeader() : opts.cookie;
    if (cookie) headers.cookie = cookie;

    const started = performance.now();
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload, redirect: "manual" });
    const text = await res.text();
    const ms = performance.now() - started;

    const seen = `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${text}`;
    const leak = findLeak(seen);
    if (leak) throw new SecretLeakError(`${method} ${path} answered ${res.status} with ${leak} in it`);

    const setCookies = res.headers.getSetCookie();
    if (setCookies.length) this.lastSetCookies = setCookies;
    for (const line of setCookies) this.absorb(line);

    let parsed: unknown = null;
    if ((res.headers.get("content-type") ?? "").includes("json") && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text, ms };
  }

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private absorb(line: string): void {
    const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const expired = attrs.some((a) => /^max-age=0$/i.test(a) || /^max-age=-/i.test(a));
    if (expired || value === "") this.jar.delete(name);
    else this.jar.set(name, value);
  }
}

/** A client signed in as the given user. */
export async function signedIn(creds: { email: string; password: string }): Promise<Client> {
  return new Client().signIn(creds);
}

/** A client whose every request carries this User-Agent, so the audit records of a test file can be picked out. */
export function clientWithAgent(userAgent: string): Client {
  const c = new Client();
  c.defaultHeaders["user-agent"] = userAgent;
  return c;
}
