import "server-only";

/** Query keys that name Object.prototype's own machinery: Next drops `__proto__` before a route sees it, so refuse them first. */
const FORBIDDEN_QUERY_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export interface RequestTargetProblem {
  message: string;
  /** The query parameter at fault, when it is one. */
  parameter?: string;
}

/**
 * Why a request's path and query cannot be answered as sent, or null: a path segment whose percent-escapes do not
 * decode as UTF-8, or a prototype-named query parameter.
 */
export function findRequestTargetProblem(url: { pathname: string; search: string }): RequestTargetProblem | null {
  for (const segment of url.pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return { message: `Malformed percent-escape in the path segment "${segment.slice(0, 100)}"` };
    }
  }
  for (const key of new URLSearchParams(url.search).keys()) {
    if (FORBIDDEN_QUERY_KEYS.has(key)) return { message: `Invalid query parameter "${key}": unknown parameter`, parameter: key };
  }
  return null;
}
