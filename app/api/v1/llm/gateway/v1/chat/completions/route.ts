// POST /api/v1/llm/gateway/v1/chat/completions — OpenAI-compatible chat to any provider, streamed or not (hub key, no session)
import { handleCompat } from "@/lib/gateway/handlers";
import { gatewayMethodNotAllowed, gatewayRoute } from "@/lib/gateway/route";

export const POST = gatewayRoute("chat", (c) => handleCompat(c, "chat"));

const notAllowed = gatewayMethodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
