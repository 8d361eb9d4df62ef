import { AppError } from "@/lib/errors";
import { errorHeaders, json } from "./error-reply";

/** Next answers an unserved method with an empty 405; the API answers with its error shape. */
export function methodNotAllowed(allow: string) {
  const answer = () => {
    const err = new AppError("method_not_allowed", `Method not allowed (this endpoint accepts ${allow})`);
    return json({ detail: err.detail, code: err.code }, err.status, { ...errorHeaders(err), Allow: allow });
  };
  // marked, so that the OpenAPI coverage test (lib/openapi/document.test.ts) tells it from a served method
  return Object.assign(answer, { methodNotAllowed: true as const });
}
