// GET /api/v1/llm/providers/info — the provider catalogue
import { apiRoute } from "@/lib/api/handler";
import { providerInfo } from "@/lib/provider-keys/list";

export const GET = apiRoute({ access: "admin", action: "provider_key.info" }, async () => ({ body: providerInfo() }));
