/** What can end the reading of a metadata file, in FetchError kinds: bad bytes, too much of them, or the poll's deadline. */
export type MetadataErrorKind = "parse" | "too_large" | "timeout";

/** Thrown by the decompressing stream so that the scanner reading it reports the right kind. */
export class MetadataReadError extends Error {
  constructor(
    readonly kind: MetadataErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "MetadataReadError";
  }
}

export function describeAbort(signal: AbortSignal): string {
  return signal.reason instanceof Error && signal.reason.message ? `stopped: ${signal.reason.message}` : "stopped: the poll was aborted";
}
