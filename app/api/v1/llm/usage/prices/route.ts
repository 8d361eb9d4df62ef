// GET /api/v1/llm/usage/prices — the price table (USD per million tokens) by route and model
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { listPrices } from "@/lib/usage/prices";

export const GET = apiRoute({ access: "admin", action: "usage.price_list" }, async () => ({ body: await listPrices() }));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
