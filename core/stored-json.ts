import type { z } from "zod";

/** A stored JSON cell: its column ("Alert.details") and, when known, its row's id. */
export interface StoredCell {
  column: string;
  rowId?: number | string;
}

/** A JSON text column holds something its shape does not allow, or a writer tried to store such a value. */
export class StoredJsonError extends Error {
  constructor(
    readonly column: string,
    readonly rowId: number | string | undefined,
    readonly reason: string,
  ) {
    super(`${column}${rowId === undefined ? "" : ` of row ${rowId}`}: ${reason}`);
    this.name = "StoredJsonError";
  }
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  const more = error.issues.length - shown.length;
  return `${shown.join("; ")}${more > 0 ? ` (+${more} more)` : ""}`;
}

/** The value as its column stores it; a value its shape refuses is never written. */
export function encodeStoredJson<S extends z.ZodType>(schema: S, shapeName: string, value: z.input<S>, cell: StoredCell): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoredJsonError(
      cell.column,
      cell.rowId,
      `refusing to store a value that is not a valid ${shapeName}: ${describeIssues(parsed.error)}`,
    );
  return JSON.stringify(parsed.data);
}

/** The stored value, checked against its shape; throws a StoredJsonError naming the column and row otherwise. */
export function decodeStoredJson<S extends z.ZodType>(schema: S, shapeName: string, text: string, cell: StoredCell): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StoredJsonError(cell.column, cell.rowId, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new StoredJsonError(cell.column, cell.rowId, `not a valid ${shapeName}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The stored value, or null when the text is not JSON or not of the shape. For readers that must not fail on one bad row. */
export function safeDecodeStoredJson<S extends z.ZodType>(schema: S, text: string): z.output<S> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
