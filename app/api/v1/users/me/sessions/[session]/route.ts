// DELETE /api/v1/users/me/sessions/{session} — sign out one of your sessions
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { endOwnSession } from "@/lib/users/self";

export const DELETE = apiRoute<{ session: string }, "user">({ access: "user", action: "session.revoke" }, async ({ user, ctx, params }) => ({
  body: await endOwnSession({ actor: user, request: ctx }, params.session),
}));

const notAllowed = methodNotAllowed("DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
