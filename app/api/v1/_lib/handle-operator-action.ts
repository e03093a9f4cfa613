import type { z } from "zod";
import { authorizeOperator, OperatorAuthorizationError } from "@/server/auth/authorize";
import { createActionErrorResponse, handleApiAction, type ActionOptions } from "./handle-api-action";

/** An operator action (silences): authorized before anything of the request is read, then handled like any action. */
export async function handleOperatorAction<Q extends z.ZodObject>(
  request: Request,
  options: ActionOptions<Q>,
  handler: Parameters<typeof handleApiAction<Q>>[2],
): Promise<Response> {
  try {
    authorizeOperator(request);
  } catch (error) {
    if (error instanceof OperatorAuthorizationError) return createActionErrorResponse(error);
    throw error;
  }
  // A bearer token is never attached by a browser on its own, so another site cannot act with it: any origin may call.
  return handleApiAction(request, { ...options, isCrossSiteAllowed: true }, handler);
}
