// GET /api/v1/llm/providers/info — the provider catalogue
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { providerInfo } from "@/lib/provider-keys/list";

export const GET = apiRoute({ access: "admin", action: "provider_key.info" }, async () => ({ body: providerInfo() }));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
