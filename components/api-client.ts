import type { ApiErrorBody } from "@/contract/api-error";

/** Live views poll the API this often. */
export const LIVE_REFETCH_INTERVAL_MS = 15_000;

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

/** GET one of our own /api/v1 endpoints; a non-2xx answer becomes an ApiRequestError with the server's message. */
export async function fetchApi<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiRequestError(
      response.status,
      body?.error.code ?? "http",
      body?.error.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return (await response.json()) as T;
}
