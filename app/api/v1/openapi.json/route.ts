// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document (any signed-in user; anyone with API_DOCS_PUBLIC=true)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { resolveSession, SESSION_COOKIE } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { openApiDocument } from "@/lib/openapi/document";

export const GET = apiRoute({ access: "public", action: "api.docs" }, async ({ req }) => {
  if (!getEnv().API_DOCS_PUBLIC) {
    const cookie = req.cookies.get(SESSION_COOKIE)?.value;
    if (!(await resolveSession(cookie))) {
      throw new AppError("not_authenticated", cookie ? "Invalid session - please login again" : "Not authenticated - sign in to read the API reference, or set API_DOCS_PUBLIC=true");
    }
  }
  return { body: openApiDocument(), headers: { "cache-control": "no-cache" } };
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
