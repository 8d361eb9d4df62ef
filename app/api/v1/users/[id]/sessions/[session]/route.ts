// DELETE /api/v1/users/{id}/sessions/{session} — sign out one session of a user
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { endSession } from "@/lib/users/sessions";
import { findUser } from "@/lib/users/service";

export const DELETE = apiRoute<{ id: string; session: string }, "admin">({ access: "admin", action: "session.revoke" }, async ({ user, ctx, params }) => ({
  body: await endSession({ actor: user, request: ctx }, await findUser(params.id), params.session),
}));

const notAllowed = methodNotAllowed("DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
