import { z } from "zod";

/** The body of every /api/v1 error. */

export const ApiErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe("bad_request, not_found, internal, …"),
      message: z.string(),
      details: z.unknown().optional().describe("For bad_request: a list of { parameter, message }."),
    }),
  })
  .describe("Every error answer of /api/v1.");
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
