import type { z } from "zod";
import { isCachedEndpoint, type ApiEndpoint } from "@/contract/endpoint";
import type { FileAnswer } from "./file-answer";
import { handleActionOptions, handleApiAction } from "./handle-api-action";
import { decodePathSegment, handleApiOptions, handleApiRequest } from "./handle-api-request";
import { handleOperatorAction } from "./handle-operator-action";

export interface RouteContext<P extends string> {
  params: Promise<Record<P, string>>;
}

export interface EndpointInput<Q extends z.ZodObject, B extends z.ZodType | undefined, P extends string> {
  query: z.infer<Q>;
  /** Path parameters, percent-decoded (a malformed escape is a 400 before the handler runs). */
  params: Record<P, string>;
  body: B extends z.ZodType ? z.infer<B> : undefined;
  now: Date;
  /** The caller's address, for actions (rate limits); empty for cached reads. */
  clientIp: string;
}

/** The answer a handler gives: the endpoint's response (checked at compile time, not at run time), or a file of it. */
export type EndpointAnswer<R extends z.ZodType> = z.infer<R> | FileAnswer<z.infer<R> & string>;

export type EndpointRoute<P extends string> = ((request: Request, context?: RouteContext<P>) => Promise<Response>) & {
  /** The contract this route serves; test/integration/api-contract.test.ts checks every route file serves one of API_ENDPOINTS. */
  readonly endpoint: ApiEndpoint;
};

async function readParams<P extends string>(context: RouteContext<P> | undefined): Promise<Record<P, string>> {
  const raw = ((await context?.params) ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, decodePathSegment(value)])) as Record<P, string>;
}

/**
 * A route handler for one endpoint of contract/endpoints.ts: its query, path parameters, body, method and caching come
 * from the contract. A cached GET answers with an ETag and CORS (handleApiRequest); an operator endpoint is authorised
 * first (handleOperatorAction); any other action is same-origin, never cached (handleApiAction).
 */
export function serveEndpoint<Q extends z.ZodObject, R extends z.ZodType, B extends z.ZodType | undefined, P extends string>(
  endpoint: ApiEndpoint<Q, R, B, P>,
  handler: (input: EndpointInput<Q, B, P>) => Promise<NoInfer<EndpointAnswer<R>>> | NoInfer<EndpointAnswer<R>>,
  options: { maxAgeSeconds?: number } = {},
): EndpointRoute<P> {
  const route = async (request: Request, context?: RouteContext<P>): Promise<Response> => {
    if (isCachedEndpoint(endpoint)) {
      const read = async ({ query, now }: { query: z.infer<Q>; now: Date }) =>
        handler({ query, params: await readParams(context), body: undefined as EndpointInput<Q, B, P>["body"], now, clientIp: "" });
      return handleApiRequest(request, endpoint.query, read, options);
    }
    const actionOptions = {
      query: endpoint.query,
      body: endpoint.requestBody,
      status: endpoint.successStatus,
      maxBodyBytes: endpoint.maxBodyBytes,
      crossSiteForm: endpoint.crossSiteForm,
    };
    const act = async (input: { query: z.infer<Q>; body: unknown; now: Date; clientIp: string }) =>
      handler({ ...input, body: input.body as EndpointInput<Q, B, P>["body"], params: await readParams(context) });
    return endpoint.auth === "operator" ? handleOperatorAction(request, actionOptions, act) : handleApiAction(request, actionOptions, act);
  };
  return Object.assign(route, { endpoint: endpoint as unknown as ApiEndpoint });
}

/** The OPTIONS answer of a route file: the CORS preflight for read-only GETs where one is cached, else the methods it acts with. */
export function serveOptions(...endpoints: Pick<ApiEndpoint, "method" | "caching">[]): () => Response {
  if (endpoints.some(isCachedEndpoint)) return handleApiOptions;
  const methods = endpoints.flatMap((endpoint) => (endpoint.method === "GET" ? ["GET", "HEAD"] : [endpoint.method]));
  return () => handleActionOptions(methods);
}
