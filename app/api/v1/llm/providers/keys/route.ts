// GET /api/v1/llm/providers/keys — list every provider, masked; POST — add or update a key
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { listProviderKeys } from "@/lib/provider-keys/list";
import { saveProviderKey } from "@/lib/provider-keys/save";
import { saveKeySchema } from "@/lib/provider-keys/schemas";

export const GET = apiRoute({ access: "admin", action: "provider_key.list", early: listProviderKeys }, async ({ early }) => ({
  body: await (early ?? listProviderKeys()),
}));

export const POST = apiRoute({ access: "admin", action: "provider_key.create" }, async ({ user, ctx, body }) =>
  saveProviderKey({ actor: user, request: ctx }, await body(saveKeySchema)),
);

const notAllowed = methodNotAllowed("GET, POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
