// GET /api/v1/users/{id} — one user; PATCH — change the role or disable/enable (ends their sessions); DELETE — remove them
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { patchUserSchema } from "@/lib/users/schemas";
import { deleteUser, getUserView, updateUser } from "@/lib/users/service";

type Params = { id: string };

export const GET = apiRoute<Params, "admin">({ access: "admin", action: "user.get" }, async ({ params }) => ({ body: await getUserView(params.id) }));

export const PATCH = apiRoute<Params, "admin">({ access: "admin", action: "user.update" }, async ({ user, ctx, params, body }) => ({
  body: await updateUser({ actor: user, request: ctx }, params.id, await body(patchUserSchema)),
}));

export const DELETE = apiRoute<Params, "admin">({ access: "admin", action: "user.delete" }, async ({ user, ctx, params }) => ({
  body: await deleteUser({ actor: user, request: ctx }, params.id),
}));

const notAllowed = methodNotAllowed("GET, PATCH, DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
