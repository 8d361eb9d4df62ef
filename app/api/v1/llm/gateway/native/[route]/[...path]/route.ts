// /api/v1/llm/gateway/native/{route}/{path…} — a provider's own API for its own SDK, with the hub's key injected (hub key, no session)
import { handleNative } from "@/lib/gateway/handlers";
import { gatewayRoute } from "@/lib/gateway/route";

const native = gatewayRoute<{ route: string; path: string[] }>("native", handleNative);

export const GET = native;
export const POST = native;
export const PUT = native;
export const PATCH = native;
export const DELETE = native;
export const HEAD = native;
