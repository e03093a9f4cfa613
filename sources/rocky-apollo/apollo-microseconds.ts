const ISO_INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

/**
 * Microseconds since the epoch of an ISO instant. Apollo keeps published_at to the microsecond
 * (`2025-11-27T09:11:22.820964+00:00`) and compares its `after_raw` filter at that precision: a Date would round it.
 */
export function parseApolloMicroseconds(text: string): number | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const secondsMs = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(secondsMs)) return null;
  return secondsMs * 1000 + Number((match[2] ?? "").padEnd(6, "0").slice(0, 6));
}

/** `2025-11-27T09:11:22.820964Z`: UTC, six fractional digits — what Apollo's `after_raw` reads back exactly. */
export function formatApolloMicroseconds(microseconds: number): string {
  const secondsMs = Math.floor(microseconds / 1_000_000) * 1000;
  const fraction = String(microseconds - secondsMs * 1000).padStart(6, "0");
  return `${new Date(secondsMs).toISOString().slice(0, 19)}.${fraction}Z`;
}
