// POST /api/v1/auth/logout — end the session server-side and clear the cookie
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute, json } from "@/lib/api/handler";
import { logout } from "@/lib/auth/logout";
import { SESSION_COOKIE } from "@/lib/auth/session";

export const POST = apiRoute({ access: "public", action: "auth.logout" }, async ({ req, ctx }) => {
  await logout(req.cookies.get(SESSION_COOKIE)?.value, ctx);
  const res = json({ success: true, message: "Signed out" });
  res.headers.append("Set-Cookie", `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  return res;
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
