// POST /api/v1/users/me/password — change your own password (the current one is required); signs out your other sessions
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { changePasswordSchema } from "@/lib/users/schemas";
import { changeOwnPassword } from "@/lib/users/self";

export const POST = apiRoute({ access: "user", action: "user.password_change", beforePasswordChange: true }, async ({ user, ctx, body }) => ({
  body: await changeOwnPassword({ actor: user, request: ctx }, await body(changePasswordSchema)),
}));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
