// GET /api/v1/users — every user, with their live sessions count; POST — add one (a generated password is shown once)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { createUserSchema } from "@/lib/users/schemas";
import { createUser, listUserViews } from "@/lib/users/service";

export const GET = apiRoute({ access: "admin", action: "user.list" }, async () => ({ body: await listUserViews() }));

export const POST = apiRoute({ access: "admin", action: "user.create" }, async ({ user, ctx, body }) => ({
  status: 201,
  body: await createUser({ actor: user, request: ctx }, await body(createUserSchema)),
}));

const notAllowed = methodNotAllowed("GET, POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
