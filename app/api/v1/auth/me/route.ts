// GET /api/v1/auth/me — the signed-in user
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";

export const GET = apiRoute({ access: "user", action: "auth.me", beforePasswordChange: true }, async ({ user }) => ({
  body: { success: true, user: { id: user.id, email: user.email, role: user.role } },
}));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
