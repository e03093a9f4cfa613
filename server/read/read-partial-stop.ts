import "server-only";

import type { PartialStopNumbers } from "../../core/format/describe-partial-stop";
import { AlertPartialStopDto } from "../../contract/alert-dto";

/**
 * The partial-stop numbers as the rule stored them (Alert.details / AlertEvent.details), or null: evidence whose numbers
 * do not hold together (more published than counted, no package lists) reads as none rather than as wrong numbers.
 */
export function readPartialStop(value: unknown): PartialStopNumbers | null {
  if (value === undefined || value === null) return null;
  const parsed = AlertPartialStopDto.safeParse(value);
  return parsed.success ? parsed.data : null;
}
