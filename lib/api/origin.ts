import "server-only";
import type { NextRequest } from "next/server";
import { getEnv, splitList } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Route handlers get no CSRF protection for free: a mutation that carries an Origin must come from
 * this site (its host, whichever scheme a TLS-terminating proxy left) or from ALLOWED_ORIGINS.
 * Requests without Origin (curl, scripts) are allowed: browsers always send it on cross-site mutations.
 */
export function checkOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  if (origin === null) return;
  const env = getEnv();
  const host = ((env.TRUST_PROXY > 0 && req.headers.get("x-forwarded-host")) || req.headers.get("host") || "").toLowerCase();
  let originHost: string | null = null;
  try {
    const u = new URL(origin);
    if (u.protocol === "http:" || u.protocol === "https:") originHost = u.host.toLowerCase();
  } catch {
    originHost = null; // "null" (sandboxed frames, file://) and garbage are foreign
  }
  if (originHost && host && originHost === host) return;
  const allowed = splitList(env.ALLOWED_ORIGINS).map((o) => o.replace(/\/$/, "").toLowerCase());
  if (allowed.includes(origin.toLowerCase())) return;
  throw new AppError("csrf", "Cross-origin request refused (Origin does not match this site)");
}
