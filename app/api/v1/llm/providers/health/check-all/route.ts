// POST /api/v1/llm/providers/health/check-all — make every enabled key due for a background check now
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { checkAllNow } from "@/lib/key-health/check-all";

export const POST = apiRoute({ access: "admin", action: "provider_key.check_all" }, async ({ user, ctx }) => ({
  status: 202,
  body: await checkAllNow({ actor: user, request: ctx }),
}));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
