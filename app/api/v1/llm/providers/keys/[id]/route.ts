// DELETE /api/v1/llm/providers/keys/{id} — remove a stored key; PATCH — change a row without its key
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
