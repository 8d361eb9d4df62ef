// GET /api/v1/users/me — the signed-in user's own account
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { getOwnAccount } from "@/lib/users/self";

export const GET = apiRoute({ access: "user", action: "user.get", beforePasswordChange: true }, async ({ user, ctx }) => ({
  body: await getOwnAccount({ actor: user, request: ctx }),
}));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
