import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { ApiErrorBody } from "./api-error";
import { ApiRequestError } from "./api-request-error";
import { buildEndpointUrl, type ApiEndpoint, type EndpointRequest, type EndpointResponse } from "./endpoint";

type RequestArgument<E> = Record<string, never> extends EndpointRequest<E> ? [request?: EndpointRequest<E>] : [request: EndpointRequest<E>];

/**
 * The TanStack Query key of a request to an endpoint. Pages prefetch under it with a server read function, hooks
 * fetch under it through /api/v1 (endpointQueryOptions): one key, declared once.
 */
export function endpointQueryKey<E extends ApiEndpoint>(endpoint: E, ...[request]: RequestArgument<E>) {
  return queryOptions<EndpointResponse<E>>({ queryKey: ["api", endpoint.path, request?.params ?? {}, request?.query ?? {}] }).queryKey;
}

/** GET the endpoint's URL; a non-2xx answer or one its response schema refuses is an ApiRequestError. */
export async function fetchEndpoint<E extends ApiEndpoint>(
  endpoint: E,
  request: { params?: Record<string, string>; query?: object } = {},
  signal?: AbortSignal,
): Promise<EndpointResponse<E>> {
  const response = await fetch(buildEndpointUrl(endpoint, request), { signal, headers: { Accept: "application/json" } });
  if (!response.ok) {
    const body = ApiErrorBody.safeParse(await response.json().catch(() => null));
    throw new ApiRequestError(
      response.status,
      body.success ? body.data.error.code : "http",
      body.success ? body.data.error.message : `${response.status} ${response.statusText}`,
    );
  }
  const parsed = endpoint.response.safeParse(await response.json());
  if (!parsed.success)
    throw new ApiRequestError(
      response.status,
      "invalid_response",
      `The answer of ${endpoint.path} is not what its schema says: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data as EndpointResponse<E>;
}

/** `{ queryKey, queryFn }` for useQuery: the query fetches the endpoint with the query's AbortSignal. */
export function endpointQueryOptions<E extends ApiEndpoint>(endpoint: E, ...[request]: RequestArgument<E>) {
  return queryOptions({
    queryKey: endpointQueryKey<E>(endpoint, ...([request] as RequestArgument<E>)),
    queryFn: ({ signal }) => fetchEndpoint(endpoint, request, signal),
  });
}
