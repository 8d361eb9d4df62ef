// GET /api/v1/users/{id}/sessions — a user's live sessions; DELETE — sign them out everywhere
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { endAllSessions, listSessionViews } from "@/lib/users/sessions";
import { findUser } from "@/lib/users/service";

type Params = { id: string };

export const GET = apiRoute<Params, "admin">({ access: "admin", action: "session.list" }, async ({ user, params }) => ({
  body: await listSessionViews(await findUser(params.id), user.sessionId),
}));

export const DELETE = apiRoute<Params, "admin">({ access: "admin", action: "session.revoke" }, async ({ user, ctx, params }) => ({
  body: await endAllSessions({ actor: user, request: ctx }, await findUser(params.id), null),
}));

const notAllowed = methodNotAllowed("GET, DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
