// GET /api/v1/auth/me — the signed-in user
import { apiRoute } from "@/lib/api/handler";

export const GET = apiRoute({ access: "user", action: "auth.me" }, async ({ user }) => ({
  body: { success: true, user: { id: user.id, email: user.email, role: user.role } },
}));
