/** A download (the CSV report) instead of JSON: its body is what the endpoint's response schema describes. */
export class FileAnswer<T extends string = string> {
  constructor(
    readonly body: T,
    readonly file: {
      contentType: string;
      fileName: string;
      /** Extra headers, exposed to other origins too (e.g. X-Total-Count). */
      headers?: Record<string, string>;
    },
  ) {}
}
