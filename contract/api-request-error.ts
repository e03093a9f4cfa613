/** A non-2xx answer of /api/v1 (code and message from its ApiErrorBody), or an answer its endpoint's schema refuses. */
export class ApiRequestError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}
