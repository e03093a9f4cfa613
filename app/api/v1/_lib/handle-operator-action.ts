import type { z } from "zod";
import { authorizeOperator, OperatorAuthorizationError } from "@/server/auth/authorize";
import { handleApiAction } from "./handle-api-action";
import { createAppErrorResponse } from "./handle-api-request";

/** An operator action (silences): authorized before anything of the request is read, then handled like any action. */
export async function handleOperatorAction<Q extends z.ZodObject, B extends z.ZodType>(
  request: Request,
  options: Parameters<typeof handleApiAction<Q, B>>[1],
  handler: Parameters<typeof handleApiAction<Q, B>>[2],
): Promise<Response> {
  try {
    authorizeOperator(request);
  } catch (error) {
    if (error instanceof OperatorAuthorizationError) return createAppErrorResponse(error);
    throw error;
  }
  // A bearer token is never attached by a browser on its own, so another site cannot act with it: any origin may call.
  return handleApiAction(request, { ...options, isCrossSiteAllowed: true }, handler);
}
