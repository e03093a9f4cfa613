import { createOpenApiDocument } from "@/server/api/openapi-document";
import { handleApiOptions, handleApiRequest, NoQuery } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

const OPENAPI_MAX_AGE_SECONDS = 300;

let openApiDocument: object | undefined;

export function GET(request: Request) {
  return handleApiRequest(request, NoQuery, async () => (openApiDocument ??= createOpenApiDocument({})), { maxAgeSeconds: OPENAPI_MAX_AGE_SECONDS });
}

export const OPTIONS = handleApiOptions;
