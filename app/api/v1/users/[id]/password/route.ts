// POST /api/v1/users/{id}/password — reset a user's password (given, or a one-time one shown once); ends their sessions
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { resetPasswordSchema } from "@/lib/users/schemas";
import { resetPassword } from "@/lib/users/service";

export const POST = apiRoute<{ id: string }, "admin">({ access: "admin", action: "user.password_reset" }, async ({ user, ctx, params, body }) => ({
  body: await resetPassword({ actor: user, request: ctx }, params.id, await body(resetPasswordSchema)),
}));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
