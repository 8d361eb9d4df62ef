// PUT /api/v1/llm/usage/prices/{route}/{model…} — set a model's price; DELETE — remove it (the model is unpriced)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { deletePrice, parsePricePath, setPrice, setPriceSchema } from "@/lib/usage/prices";

type Params = { route: string; model: string[] };

export const PUT = apiRoute<Params, "admin">({ access: "admin", action: "usage.price_set" }, async ({ user, ctx, params, body }) => {
  const path = parsePricePath(params.route, params.model);
  const out = await setPrice({ actor: user, request: ctx }, path, await body(setPriceSchema));
  return { status: out.created ? 201 : 200, body: { success: true, price: out.price } };
});

export const DELETE = apiRoute<Params, "admin">({ access: "admin", action: "usage.price_delete" }, async ({ user, ctx, params }) => {
  const { key } = await deletePrice({ actor: user, request: ctx }, parsePricePath(params.route, params.model));
  return { body: { success: true, message: `${key} is unpriced from now on` } };
});

const notAllowed = methodNotAllowed("PUT, DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
