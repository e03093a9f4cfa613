import type { VerdictStatus } from "./types";

const SEVERITY_ORDER: VerdictStatus[] = ["not_applicable", "published", "unknown", "pending", "delayed", "missing"];

/** The status that matters most among several: missing > delayed > pending > unknown > published > not_applicable. */
export function worstVerdict(statuses: Iterable<VerdictStatus>): VerdictStatus {
  let worst: VerdictStatus = "not_applicable";
  for (const status of statuses) {
    if (SEVERITY_ORDER.indexOf(status) > SEVERITY_ORDER.indexOf(worst)) worst = status;
  }
  return worst;
}
