// POST /api/v1/auth/login — sign in; sets the session_token cookie
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute, json } from "@/lib/api/handler";
import { login } from "@/lib/auth/login";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/session";
import { loginSchema } from "@/lib/provider-keys/schemas";

export const POST = apiRoute({ access: "public", action: "auth.login" }, async ({ ctx, body }) => {
  const { email, password } = await body(loginSchema);
  const result = await login(email, password, ctx);
  const res = json({ success: true, user: result.user });
  res.headers.append("Set-Cookie", serializeCookie(result.cookie, result.maxAge));
  return res;
});

function serializeCookie(value: string, maxAge: number): string {
  const o = sessionCookieOptions(maxAge);
  return `${SESSION_COOKIE}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=Lax${o.secure ? "; Secure" : ""}`;
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
