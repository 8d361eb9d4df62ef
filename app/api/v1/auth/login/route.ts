// POST /api/v1/auth/login — sign in; sets the session_token cookie (and the known_device cookie)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute, json } from "@/lib/api/handler";
import { KNOWN_DEVICE_COOKIE, knownDeviceCookieOptions } from "@/lib/auth/known-device";
import { login } from "@/lib/auth/login";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/session";
import { loginSchema } from "@/lib/schemas/login";

export const POST = apiRoute({ access: "public", action: "auth.login" }, async ({ req, ctx, body }) => {
  const { email, password } = await body(loginSchema);
  const result = await login(email, password, ctx, req.cookies.get(KNOWN_DEVICE_COOKIE)?.value);
  const res = json({ success: true, user: result.user });
  res.headers.append("Set-Cookie", serializeCookie(SESSION_COOKIE, result.cookie, sessionCookieOptions(result.maxAge)));
  res.headers.append("Set-Cookie", serializeCookie(KNOWN_DEVICE_COOKIE, result.knownDevice.cookie, knownDeviceCookieOptions(result.knownDevice.maxAge)));
  return res;
});

function serializeCookie(name: string, value: string, o: { path: string; maxAge: number; sameSite: "lax" | "strict"; secure: boolean }): string {
  return `${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=${o.sameSite === "strict" ? "Strict" : "Lax"}${o.secure ? "; Secure" : ""}`;
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
