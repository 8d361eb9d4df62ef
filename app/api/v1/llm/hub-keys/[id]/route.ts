// GET /api/v1/llm/hub-keys/{id} — one hub key (masked); PATCH — change its settings; DELETE — revoke it for good
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { patchHubKeySchema } from "@/lib/hub-keys/schemas";
import { deleteHubKey, getHubKeyView, patchHubKey } from "@/lib/hub-keys/service";

type Params = { id: string };

export const GET = apiRoute<Params, "admin">({ access: "admin", action: "hub_key.get" }, async ({ params }) => ({ body: await getHubKeyView(params.id) }));

export const PATCH = apiRoute<Params, "admin">({ access: "admin", action: "hub_key.update" }, async ({ user, ctx, params, body }) => ({
  body: await patchHubKey({ actor: user, request: ctx }, params.id, await body(patchHubKeySchema)),
}));

export const DELETE = apiRoute<Params, "admin">({ access: "admin", action: "hub_key.delete" }, async ({ user, ctx, params }) => ({
  body: await deleteHubKey({ actor: user, request: ctx }, params.id),
}));

const notAllowed = methodNotAllowed("GET, PATCH, DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
