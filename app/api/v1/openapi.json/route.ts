import { getOpenApiDocumentEndpoint } from "@/contract/endpoints";
import { createOpenApiDocument } from "@/server/api/openapi-document";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

const OPENAPI_MAX_AGE_SECONDS = 300;

let openApiDocument: ReturnType<typeof createOpenApiDocument> | undefined;

export const GET = serveEndpoint(getOpenApiDocumentEndpoint, () => (openApiDocument ??= createOpenApiDocument({})), {
  maxAgeSeconds: OPENAPI_MAX_AGE_SECONDS,
});

export const OPTIONS = serveOptions(getOpenApiDocumentEndpoint);
