// GET /api/v1/llm/hub-keys — the hub keys apps use with the gateway (masked); POST — issue one (shown once)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { createHubKeySchema } from "@/lib/hub-keys/schemas";
import { createHubKey, listHubKeyViews } from "@/lib/hub-keys/service";

export const GET = apiRoute({ access: "admin", action: "hub_key.list" }, async () => ({ body: await listHubKeyViews() }));

export const POST = apiRoute({ access: "admin", action: "hub_key.create" }, async ({ user, ctx, body }) => ({
  status: 201,
  body: await createHubKey({ actor: user, request: ctx }, await body(createHubKeySchema)),
}));

const notAllowed = methodNotAllowed("GET, POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
