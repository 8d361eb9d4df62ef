import { z } from "zod";
import { contractBody, NO_CONTROL } from "./contract-body";

/** The sign-in body, shared by the REST handler and the sign-in form. */
export const loginSchema = contractBody({
  email: z
    .string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") })
    .trim()
    .toLowerCase()
    .min(3, { error: "must be an email address" })
    .max(254, { error: "must be at most 254 characters" })
    .regex(NO_CONTROL, { error: "must not contain control characters" }),
  password: z.string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") }).min(1, { error: "must not be empty" }).max(1024, { error: "must be at most 1024 characters" }),
});
