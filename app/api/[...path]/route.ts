// Any other /api/* path — a JSON 404 instead of the HTML not-found page, so API clients get the one error shape
import { errorReply } from "@/lib/api/error-reply";
import { AppError } from "@/lib/errors";

const notFound = () => errorReply(new AppError("not_found", "Not found"));

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
