// POST /api/v1/llm/usage/events — store usage that did not pass through the hub (a hub key with the `ingest` scope)
import { readJsonBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { requireHubKey } from "@/lib/hub-keys/authenticate";
import { ingestUsage } from "@/lib/usage/ingest";
import { INGEST_BODY_LIMIT } from "@/lib/usage/ingest-schema";

export const POST = apiRoute({ access: "public", action: "usage.ingest" }, async ({ req, ctx }) => {
  const key = await requireHubKey(req.headers, "ingest");
  const records = (await readJsonBody(req, INGEST_BODY_LIMIT, "array")) as unknown[];
  return { body: await ingestUsage(key, records, ctx) };
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
