import { z } from "zod";
import { toQueryString } from "./query-string";

export type ApiMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * A string value that is exactly `{confirmToken}`, `{manageToken}` or `{unsubscribeToken}` (in the query or the body)
 * is replaced by the contract test with the token of a real subscription link it creates; `{operatorToken}` inside a
 * header value with the operator token it configures.
 */
export interface ApiExample {
  /** Values as they appear in the URL, before percent-encoding. */
  query?: Record<string, string>;
  params?: Record<string, string>;
  /** A JSON request body. */
  body?: unknown;
  /** A form-encoded request body (application/x-www-form-urlencoded). */
  form?: [string, string][];
  /** Request headers; a request that acts is sent with this server's own Origin unless `Origin` is given here. */
  headers?: Record<string, string>;
  status: number;
}

/** The query of an endpoint that takes none: any parameter is refused as unknown. */
export const NoQuery = z.object({});
export type NoQuery = typeof NoQuery;

/** What an endpoint declaration says; `defineEndpoint` fills in the method (GET) and the query (none). */
export interface EndpointDefinition<Q extends z.ZodObject, R extends z.ZodType, B extends z.ZodType | undefined, P extends string> {
  /** OpenAPI style, e.g. /api/v1/advisories/{id}. */
  path: string;
  /** GET when absent. Several endpoints may share a path with different methods. */
  method?: ApiMethod;
  summary: string;
  description?: string;
  query?: Q;
  /** Path parameter → its description; the handler gets each one percent-decoded. */
  pathParams?: Record<P, string>;
  response: R;
  /** Media types of the success answer; application/json when absent. Errors are always JSON (ApiErrorBody). */
  contentTypes?: string[];
  /** Status of the successful answer; 200 when absent. */
  successStatus?: number;
  /** JSON request body of a POST or PUT. */
  requestBody?: B;
  /** When the body may also be form-encoded (URL-encoded or multipart): what it holds. */
  formBody?: string;
  /** The one form body (field → value) that any origin may send instead of same-origin JSON (RFC 8058 one-click). */
  crossSiteForm?: Readonly<Record<string, string>>;
  /** Largest request body read (bigger → 413); 16 KiB when absent. */
  maxBodyBytes?: number;
  /** "operator": `Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>` is checked before anything of the request is read. */
  auth?: "operator";
  /** "etag" (default for GET): ETag, 304 and CORS preflight; "no-store": answers are never cached. */
  caching?: "etag" | "no-store";
  errors: number[];
  examples: ApiExample[];
}

export interface ApiEndpoint<
  Q extends z.ZodObject = z.ZodObject,
  R extends z.ZodType = z.ZodType,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  P extends string = string,
> extends Omit<EndpointDefinition<Q, R, B, P>, "method" | "query"> {
  method: ApiMethod;
  query: Q;
}

/** One /api/v1 endpoint, declared once: its route serves it, the OpenAPI document and the client's queries read it. */
export function defineEndpoint<
  R extends z.ZodType,
  Q extends z.ZodObject = NoQuery,
  B extends z.ZodType | undefined = undefined,
  P extends string = never,
>(definition: EndpointDefinition<Q, R, B, P>): ApiEndpoint<Q, R, B, P> {
  return { ...definition, method: definition.method ?? "GET", query: definition.query ?? (NoQuery as Q) };
}

export function getEndpointMethod(endpoint: Pick<ApiEndpoint, "method">): ApiMethod {
  return endpoint.method;
}

export function isCachedEndpoint(endpoint: Pick<ApiEndpoint, "method" | "caching">): boolean {
  return (endpoint.caching ?? (endpoint.method === "GET" ? "etag" : "no-store")) === "etag";
}

export type EndpointQuery<E> = E extends ApiEndpoint<infer Q, z.ZodType, z.ZodType | undefined, string> ? z.infer<Q> : never;
export type EndpointResponse<E> = E extends ApiEndpoint<z.ZodObject, infer R, z.ZodType | undefined, string> ? z.infer<R> : never;
export type EndpointParamName<E> = E extends ApiEndpoint<z.ZodObject, z.ZodType, z.ZodType | undefined, infer P> ? P : never;

/** What a client asks an endpoint: its path parameters and its query as the query schema gives it (defaults filled in). */
export type EndpointRequest<E> = ([EndpointParamName<E>] extends [never]
  ? { params?: undefined }
  : { params: Record<EndpointParamName<E>, string> }) &
  (Record<string, never> extends EndpointQuery<E> ? { query?: EndpointQuery<E> } : { query: EndpointQuery<E> });

/** `/api/v1/advisories/{id}` + { id: "RHSA-2023:3722" } → `/api/v1/advisories/RHSA-2023%3A3722` */
export function buildEndpointPath(endpoint: Pick<ApiEndpoint, "path">, params: Record<string, string> = {}): string {
  return endpoint.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${endpoint.path} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** The default of each query parameter that has one (what the schema gives an absent parameter). */
function readQueryDefaults(schema: z.ZodObject): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults.set(name, JSON.stringify(parsed.data));
  }
  return defaults;
}

const queryDefaultsCache = new WeakMap<z.ZodObject, Map<string, string>>();

/** A query as its query string, in the schema's order, leaving out the values its schema would default to anyway. */
export function toSchemaQueryString<S extends z.ZodObject>(schema: S, query: Partial<z.infer<S>> | undefined): string {
  if (!query) return "";
  let defaults = queryDefaultsCache.get(schema);
  if (!defaults) queryDefaultsCache.set(schema, (defaults = readQueryDefaults(schema)));
  const values: Parameters<typeof toQueryString>[0] = {};
  for (const name of Object.keys(schema.shape)) {
    const value = (query as Record<string, unknown>)[name];
    if (value === undefined || JSON.stringify(value) === defaults.get(name)) continue;
    values[name] = value as Parameters<typeof toQueryString>[0][string];
  }
  return toQueryString(values);
}

/** The URL (path and query string) a client calls for this request. */
export function buildEndpointUrl<E extends ApiEndpoint>(
  endpoint: E,
  request: { params?: Record<string, string>; query?: object } = {},
): string {
  const path = buildEndpointPath(endpoint, request.params);
  const queryString = toSchemaQueryString(endpoint.query, request.query as Partial<z.infer<E["query"]>> | undefined);
  return queryString ? `${path}?${queryString}` : path;
}
