// GET /api/v1/llm/gateway/v1/models — the models this hub key may use, OpenAI-style (hub key, no session)
import { handleModels } from "@/lib/gateway/handlers";
import { gatewayMethodNotAllowed, gatewayRoute } from "@/lib/gateway/route";

export const GET = gatewayRoute("models", handleModels);

const notAllowed = gatewayMethodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
