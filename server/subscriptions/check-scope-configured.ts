import "server-only";

import type { SubscriptionScope } from "../../core/alerts/subscription-scope";
import type { SrcwatchConfig } from "../../core/config";
import { BadRequestError } from "../errors";

/** A scope may only name mirrors this server watches and RHEL majors one of them carries. */
export function checkScopeConfigured(scope: SubscriptionScope, config: SrcwatchConfig): void {
  const mirrorIds = new Set(config.mirrors.map((mirror) => mirror.id));
  const majors = new Set(config.mirrors.flatMap((mirror) => mirror.majors));
  const problems = [
    ...scope.mirrors
      .filter((id) => !mirrorIds.has(id))
      .map((id) => ({ parameter: "scope.mirrors", message: `unknown mirror "${id}"; known: ${[...mirrorIds].join(", ")}` })),
    ...scope.majors
      .filter((major) => !majors.has(major))
      .map((major) => ({
        parameter: "scope.majors",
        message: `no configured mirror carries RHEL ${major}; known: ${[...majors].sort((a, b) => a - b).join(", ")}`,
      })),
  ];
  if (problems.length > 0) throw new BadRequestError(`Invalid scope: ${problems.map((problem) => problem.message).join("; ")}`, problems);
}
