// POST /api/v1/llm/hub-keys/{id}/rotate — a new key for the same settings, shown once; the old one stops working
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { rotateHubKey } from "@/lib/hub-keys/service";

export const POST = apiRoute<{ id: string }, "admin">({ access: "admin", action: "hub_key.rotate" }, async ({ user, ctx, params }) => ({
  body: await rotateHubKey({ actor: user, request: ctx }, params.id),
}));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
