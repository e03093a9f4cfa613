import type { z } from "zod";

export type QueryStringRecord = Record<string, string | string[]>;

export interface QueryStringProblem {
  parameter: string;
  message: string;
}

export type QueryStringResult<T> = { success: true; data: T } | { success: false; message: string; problems: QueryStringProblem[] };

/**
 * A repeated parameter (`?verdict=a&verdict=b`) becomes a list, like `?verdict=a,b`. The record has no prototype,
 * so `__proto__` is a parameter like any other (and refused as unknown) instead of vanishing into the prototype.
 */
export function readQueryStringRecord(params: URLSearchParams): QueryStringRecord {
  const record: QueryStringRecord = Object.create(null);
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0] : values;
  }
  return record;
}

/** Parses a query string with one of the API's zod schemas; an unknown parameter is a problem too. */
export function parseQueryString<S extends z.ZodObject>(schema: S, params: URLSearchParams): QueryStringResult<z.infer<S>> {
  const record = readQueryStringRecord(params);
  const accepted = Object.keys(schema.shape);
  const problems: QueryStringProblem[] = Object.keys(record)
    .filter((key) => !accepted.includes(key))
    .map((key) => ({
      parameter: key,
      message: accepted.length > 0 ? `unknown parameter; accepted: ${accepted.join(", ")}` : "unknown parameter; this endpoint takes none",
    }));

  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [parameter, index] = issue.path;
      const raw = record[String(parameter)];
      const value = typeof index === "number" && Array.isArray(raw) ? raw[index] : undefined;
      const single = typeof index === "number" && typeof raw === "string" ? raw.split(",")[index] : undefined;
      const given = value ?? single ?? (typeof raw === "string" ? raw : undefined);
      problems.push({
        parameter: String(parameter ?? ""),
        message: given === undefined ? issue.message : `${issue.message} (got "${given}")`,
      });
    }
  }
  if (problems.length > 0 || !parsed.success) {
    const message = problems.map((problem) => `"${problem.parameter}": ${problem.message}`).join("; ");
    const prefix = problems.length === 1 ? "Invalid query parameter" : "Invalid query parameters:";
    return { success: false, message: `${prefix} ${message}`, problems };
  }
  return { success: true, data: parsed.data };
}

/** `{ verdict: ["missing", "delayed"], page: 2 }` → `verdict=missing,delayed&page=2` (commas kept readable). */
export function toQueryString(values: Record<string, string | number | readonly (string | number)[] | null | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === "") continue;
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) continue;
    parts.push(`${encodeURIComponent(key)}=${list.map((item) => encodeURIComponent(String(item))).join(",")}`);
  }
  return parts.join("&");
}
