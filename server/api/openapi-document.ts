import "server-only";

import { STATUS_CODES } from "node:http";
import { z } from "zod";
import { API_ENDPOINTS, API_SCHEMA_MODULES, getEndpointMethod, isCachedEndpoint, type ApiEndpoint } from "../../contract/endpoints";

type JsonSchema = Record<string, unknown>;

const SCHEMA_REF_PREFIX = "#/components/schemas/";
const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
const DEFAULT_CONTENT_TYPES = ["application/json"];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid query or body: an unknown parameter or field, or a value its schema rejects; `details` lists { parameter, message } per problem.",
  401: "No operator token, or a wrong one: send `Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>` (WWW-Authenticate carries the challenge).",
  403: "Refused: the request comes from another site (see the description), or the link's token is forged, expired, revoked or meant for another action.",
  404: "Not found.",
  413: "The request body is too large.",
  415: "The body is not `application/json`.",
};

const RESPONSE_HEADERS = {
  ETag: {
    description: 'Validator of the body (weak, W/"…", for a streamed file); send it back as If-None-Match.',
    schema: { type: "string" },
  },
  "Cache-Control": { description: "no-cache: keep the answer but revalidate it with If-None-Match.", schema: { type: "string" } },
  "Access-Control-Allow-Origin": { description: "Any origin may read the API.", schema: { type: "string", const: "*" } },
};

/** No Access-Control-Allow-Origin: these answers are for srcwatch's own pages. */
const NO_STORE_HEADERS = {
  "Cache-Control": {
    description: "no-store: the answer concerns the caller alone and is never cached.",
    schema: { type: "string", const: "no-store" },
  },
};

const IF_NONE_MATCH_PARAMETER = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "ETag of an earlier answer: 304 Not Modified, without a body, while it still matches.",
  schema: { type: "string" },
};

export interface OpenApiDocument {
  openapi: string;
  [field: string]: unknown;
}

/** The /api/v1 endpoints as OpenAPI 3.1, built from the zod schemas that validate queries and shape answers. */
export function createOpenApiDocument(input: { baseUrl?: string }): OpenApiDocument {
  const schemaNames = nameSchemas(API_ENDPOINTS);
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of schemaNames) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "output",
    unrepresentable: "any",
    uri: (id) => SCHEMA_REF_PREFIX + id,
  });
  const componentSchemas = Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema as JsonSchema]),
  );
  const paths: Record<string, Record<string, object>> = {};
  for (const endpoint of API_ENDPOINTS) {
    const method = getEndpointMethod(endpoint).toLowerCase();
    paths[endpoint.path] ??= {};
    if (paths[endpoint.path][method]) throw new Error(`${method.toUpperCase()} ${endpoint.path} is listed twice`);
    paths[endpoint.path][method] = createOperation(endpoint, schemaNames.get(endpoint.response)!);
  }

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: "srcwatch API",
      version: "1",
      description:
        "Whether the sources of each RHEL update (Red Hat advisory) reached each public mirror. Every read-only GET " +
        "answers with an ETag (304 on If-None-Match) and may be read from any origin (CORS). Subscriptions and operators' silences are the only " +
        "writes: their answers are never cached; a subscription's links' tokens and the operator token are the only credentials.",
    },
    servers: [{ url: input.baseUrl ?? "/" }],
    paths,
    components: { schemas: keepReachableSchemas(componentSchemas, paths) },
  };
}

/** Exported schemas keep their export name; an endpoint response exported nowhere is named after its operation. */
function nameSchemas(endpoints: readonly ApiEndpoint[]): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  const schemasByName = new Map<string, z.ZodType>();
  const addName = (schema: z.ZodType, name: string) => {
    if (names.has(schema)) return;
    const other = schemasByName.get(name);
    if (other && other !== schema) throw new Error(`two API schemas are named ${name}`);
    names.set(schema, name);
    schemasByName.set(name, schema);
  };
  for (const schemaModule of API_SCHEMA_MODULES) {
    for (const [name, value] of Object.entries(schemaModule)) if (value instanceof z.ZodType) addName(value, name);
  }
  for (const endpoint of endpoints)
    addName(endpoint.response, `${capitalize(createOperationId(getEndpointMethod(endpoint), endpoint.path))}Response`);
  return names;
}

/** Components that some path refers to, directly or through other components. */
function keepReachableSchemas(schemas: Record<string, JsonSchema>, paths: unknown): Record<string, JsonSchema> {
  const reachable = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string" && child.startsWith(SCHEMA_REF_PREFIX)) {
        const name = child.slice(SCHEMA_REF_PREFIX.length);
        if (!reachable.has(name)) {
          reachable.add(name);
          visit(schemas[name]);
        }
      } else {
        visit(child);
      }
    }
  };
  visit(paths);
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => reachable.has(name)));
}

function createOperation(endpoint: ApiEndpoint, responseName: string) {
  const responseSchema = { $ref: SCHEMA_REF_PREFIX + responseName };
  const errorSchema = { $ref: `${SCHEMA_REF_PREFIX}ApiErrorBody` };
  const isCached = isCachedEndpoint(endpoint);
  const successStatus = endpoint.successStatus ?? 200;
  return {
    operationId: createOperationId(getEndpointMethod(endpoint), endpoint.path),
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    parameters: [...listPathParameters(endpoint), ...listQueryParameters(endpoint.query), ...(isCached ? [IF_NONE_MATCH_PARAMETER] : [])],
    ...(endpoint.requestBody ? { requestBody: createRequestBody(endpoint.requestBody, endpoint.formBody) } : {}),
    responses: {
      [String(successStatus)]: {
        description: STATUS_CODES[successStatus] ?? "OK",
        headers: isCached ? RESPONSE_HEADERS : NO_STORE_HEADERS,
        content: Object.fromEntries((endpoint.contentTypes ?? DEFAULT_CONTENT_TYPES).map((type) => [type, { schema: responseSchema }])),
      },
      ...(isCached
        ? { "304": { description: "Not Modified: the If-None-Match ETag still matches; no body.", headers: RESPONSE_HEADERS } }
        : {}),
      ...Object.fromEntries(
        endpoint.errors.map((status) => [
          String(status),
          {
            description: ERROR_DESCRIPTIONS[status] ?? STATUS_CODES[status] ?? "Error",
            content: { "application/json": { schema: errorSchema } },
          },
        ]),
      ),
    },
  };
}

function listPathParameters(endpoint: ApiEndpoint) {
  const inPath = [...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const described = Object.keys(endpoint.pathParams ?? {});
  if (inPath.join() !== described.join()) {
    throw new Error(`${endpoint.path}: pathParams describe [${described.join(", ")}], the path has [${inPath.join(", ")}]`);
  }
  return Object.entries(endpoint.pathParams ?? {}).map(([name, description]) => ({
    name,
    in: "path",
    required: true,
    description,
    schema: { type: "string" },
  }));
}

/** The JSON body as a request sends it (defaults make fields optional); a form variant is described, not typed. */
function createRequestBody(schema: z.ZodType, formBody: string | undefined) {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return {
    required: true,
    content: {
      "application/json": { schema: jsonSchema },
      ...(formBody
        ? {
            "application/x-www-form-urlencoded": { schema: { type: "object", description: formBody } },
            "multipart/form-data": { schema: { type: "object", description: formBody } },
          }
        : {}),
    },
  };
}

/** One parameter per field of the query schema, as that schema reads its input (defaults, coercions, lists). */
function listQueryParameters(query: z.ZodObject) {
  const objectSchema = z.toJSONSchema(query, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(objectSchema.properties ?? {}).map(([name, { description, ...schema }]) => {
    const isList = schema.type === "array";
    return {
      name,
      in: "query",
      required: objectSchema.required?.includes(name) ?? false,
      ...(description || isList
        ? {
            description: [description, isList ? "Comma-separated; repeating the parameter works too." : undefined]
              .filter(Boolean)
              .join(" "),
          }
        : {}),
      schema,
      ...(isList ? { style: "form", explode: false } : {}),
    };
  });
}

/** GET /api/v1/advisories/{id} → getAdvisoriesById */
function createOperationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, "")
    .split("/")
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
      return parameter ? ["by", parameter] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return `${method.toLowerCase()}${words.map(capitalize).join("")}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
