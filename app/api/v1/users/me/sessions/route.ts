// GET /api/v1/users/me/sessions — your live sessions; DELETE — sign out all of them but this one
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { endOtherSessions, listOwnSessions } from "@/lib/users/self";

export const GET = apiRoute({ access: "user", action: "session.list" }, async ({ user, ctx }) => ({ body: await listOwnSessions({ actor: user, request: ctx }) }));

export const DELETE = apiRoute({ access: "user", action: "session.revoke" }, async ({ user, ctx }) => ({ body: await endOtherSessions({ actor: user, request: ctx }) }));

const notAllowed = methodNotAllowed("GET, DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
