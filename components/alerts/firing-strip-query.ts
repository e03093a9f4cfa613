import { AlertListQuery } from "@/contract/alert-dto";

/** What the overview's firing strip asks for (prefetched by the page, refetched by the strip): the few firing alerts it names. */
export const FIRING_STRIP_QUERY = AlertListQuery.parse({ status: "firing", pageSize: "5" });
