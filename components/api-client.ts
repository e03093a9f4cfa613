export { ApiRequestError } from "@/contract/api-request-error";

/** Live views poll the API this often. */
export const LIVE_REFETCH_INTERVAL_MS = 15_000;
