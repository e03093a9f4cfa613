import type { z } from "zod";

export type JsonBodyResult<T> = { ok: true; data: T } | { ok: false; error: { kind: "parse" | "invalid_data"; message: string } };

/** Validates a JSON body at the edge: `parse` when it is not JSON (an HTML error page says so), `invalid_data` when its shape is wrong. */
export function parseJsonBody<S extends z.ZodType>(body: string | Buffer, schema: S, what: string): JsonBodyResult<z.infer<S>> {
  const text = typeof body === "string" ? body : body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const start = text.trimStart().slice(0, 200);
    const message = start.startsWith("<") ? `got HTML or XML, not JSON: ${JSON.stringify(start.slice(0, 80))}` : `not JSON: ${(error as Error).message}`;
    return { ok: false, error: { kind: "parse", message } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, error: { kind: "invalid_data", message: `not ${what}: ${describeIssues(parsed.error)}` } };
  return { ok: true, data: parsed.data };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}
