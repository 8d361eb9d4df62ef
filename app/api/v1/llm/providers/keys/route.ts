// GET /api/v1/llm/providers/keys — list every provider, masked; POST — add or update a key
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { rateLimitHeaders } from "@/lib/api/rate-limit-headers";
import { listProviderKeys } from "@/lib/provider-keys/list";
import { saveProviderKey } from "@/lib/provider-keys/save";
import { saveKeySchema } from "@/lib/provider-keys/schemas";
import { toSavedKeyView } from "@/lib/provider-keys/serialize";

export const GET = apiRoute({ access: "admin", action: "provider_key.list", early: listProviderKeys }, async ({ early }) => ({
  body: await (early ?? listProviderKeys()),
}));

export const POST = apiRoute({ access: "admin", action: "provider_key.create" }, async ({ user, ctx, body }) => {
  const saved = await saveProviderKey({ actor: user, request: ctx }, await body(saveKeySchema));
  return { status: saved.created ? 201 : 200, headers: rateLimitHeaders(saved.limit), body: toSavedKeyView(saved) };
});

const notAllowed = methodNotAllowed("GET, POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
