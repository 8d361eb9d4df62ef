// POST /api/v1/llm/gateway/v1/embeddings — OpenAI-compatible embeddings from any provider that has them (hub key, no session)
import { handleCompat } from "@/lib/gateway/handlers";
import { gatewayMethodNotAllowed, gatewayRoute } from "@/lib/gateway/route";

export const POST = gatewayRoute("embeddings", (c) => handleCompat(c, "embeddings"));

const notAllowed = gatewayMethodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
