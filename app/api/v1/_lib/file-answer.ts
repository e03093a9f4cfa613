/** A body too large to hold: its validator is known before the first byte, the stream is opened only when it is sent. */
export interface StreamedFileBody {
  /** The ETag of the bytes as they were read to learn it (prepare-file-answer.ts). */
  etag: string;
  open(): ReadableStream<Uint8Array>;
}

/** A download (the CSV report) instead of JSON: its body is what the endpoint's response schema describes. */
export class FileAnswer<T extends string = string> {
  constructor(
    readonly body: T | StreamedFileBody,
    readonly file: {
      contentType: string;
      fileName: string;
      /** Extra headers, exposed to other origins too (e.g. X-Total-Count). */
      headers?: Record<string, string>;
    },
  ) {}
}
