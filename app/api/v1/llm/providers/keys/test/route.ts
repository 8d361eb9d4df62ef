// POST /api/v1/llm/providers/keys/test — test a supplied, stored or environment key (200 whenever the test ran)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { rateLimitHeaders } from "@/lib/api/rate-limit-headers";
import { testKeySchema } from "@/lib/provider-keys/schemas";
import { toTestedKeyView } from "@/lib/provider-keys/serialize";
import { testProviderKeyFor } from "@/lib/provider-keys/test";

export const POST = apiRoute({ access: "admin", action: "provider_key.test" }, async ({ user, ctx, body }) => {
  const tested = await testProviderKeyFor({ actor: user, request: ctx }, await body(testKeySchema));
  return { headers: rateLimitHeaders(tested.limit), body: toTestedKeyView(tested) };
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
