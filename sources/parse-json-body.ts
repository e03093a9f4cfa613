import type { z } from "zod";

export type JsonBodyResult<T> = { ok: true; data: T } | { ok: false; error: { kind: "parse" | "invalid_data"; message: string } };

/** Validates a JSON body at the edge: `parse` when it is not JSON (an HTML error page says so), `invalid_data` when its shape is wrong. */
export function parseJsonBody<S extends z.ZodType>(body: string | Buffer, schema: S, what: string): JsonBodyResult<z.infer<S>> {
  const json = parseJson(body);
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) return { ok: false, error: { kind: "invalid_data", message: `not ${what}: ${describeIssues(parsed.error)}` } };
  return { ok: true, data: parsed.data };
}

/** A body as JSON, or a `parse` error that says where it stopped being JSON without quoting it. */
export function parseJson(body: string | Buffer): { ok: true; value: unknown } | { ok: false; error: { kind: "parse"; message: string } } {
  const text = typeof body === "string" ? body : body.toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: { kind: "parse", message: describeJsonSyntaxError(error, text) } };
  }
}

/** Where a body stopped being JSON, without quoting it: JSON.parse's own message quotes the text (public error messages must not). */
export function describeJsonSyntaxError(error: unknown, text: string): string {
  if (text.trimStart().startsWith("<")) return `got HTML or XML, not JSON (${text.length} characters)`;
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `not JSON: syntax error at character ${position} of ${text.length} characters`;
  if (/end of JSON input/i.test(message)) return `not JSON: the text ends early, after ${text.length} characters`;
  return `not JSON: syntax error in ${text.length} characters`;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}
