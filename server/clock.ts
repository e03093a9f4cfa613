import "server-only";

import { getEnv } from "./env";

export interface Clock {
  now(): Date;
}

/**
 * Wall-clock time, or the scenario clock of a demo: scenarioOrigin + (real elapsed) × speed.
 * The web app, the worker and the simulator compute the same formula from the same env.
 */
export function createClockFromEnv(): Clock {
  const env = getEnv();
  if (!env.SRCWATCH_CLOCK_ORIGIN) return { now: () => new Date() };
  const scenarioOrigin = env.SRCWATCH_CLOCK_ORIGIN.getTime();
  const realOrigin = env.SRCWATCH_CLOCK_REAL_ORIGIN ?? Date.now();
  const speed = env.SRCWATCH_CLOCK_SPEED;
  return { now: () => new Date(scenarioOrigin + (Date.now() - realOrigin) * speed) };
}

let clock: Clock | undefined;
export function getClock(): Clock {
  clock ??= createClockFromEnv();
  return clock;
}
