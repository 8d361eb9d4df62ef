// DELETE /api/v1/llm/providers/keys/{id} — remove a stored key; PATCH — change a row without its key
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { patchProviderKey } from "@/lib/provider-keys/patch";
import { deleteProviderKey } from "@/lib/provider-keys/remove";
import { patchKeySchema } from "@/lib/provider-keys/schemas";

type Params = { id: string };

export const DELETE = apiRoute<Params, "admin">({ access: "admin", action: "provider_key.delete" }, async ({ user, ctx, params }) => ({
  body: await deleteProviderKey({ actor: user, request: ctx }, params.id),
}));

export const PATCH = apiRoute<Params, "admin">({ access: "admin", action: "provider_key.patch" }, async ({ user, ctx, params, body }) => ({
  body: await patchProviderKey({ actor: user, request: ctx }, params.id, await body(patchKeySchema)),
}));

const notAllowed = methodNotAllowed("DELETE, PATCH");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
