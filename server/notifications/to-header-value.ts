/**
 * A header value that cannot start a new header line: CR, LF and every other control character become spaces,
 * runs of whitespace collapse, and the result is cut to `maxLength` characters.
 */
import "server-only";

export function toHeaderValue(value: string, maxLength = 200): string {
  const flattened = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flattened.length > maxLength ? `${flattened.slice(0, maxLength - 1)}…` : flattened;
}
