import "server-only";

import { getEnv } from "./env";

export interface Clock {
  now(): Date;
}

/**
 * Wall-clock time, or the scenario clock of a demo: scenarioOrigin + (real elapsed) × speed, stopped at
 * SRCWATCH_CLOCK_END (the end of the scenario's data).
 * The web app, the worker and the simulator compute the same formula from the same env.
 */
export function createClockFromEnv(): Clock {
  const env = getEnv();
  if (!env.SRCWATCH_CLOCK_ORIGIN) return { now: () => new Date() };
  const scenarioOrigin = env.SRCWATCH_CLOCK_ORIGIN.getTime();
  const realOrigin = env.SRCWATCH_CLOCK_REAL_ORIGIN ?? Date.now();
  const speed = env.SRCWATCH_CLOCK_SPEED;
  const endMs = env.SRCWATCH_CLOCK_END?.getTime() ?? Number.POSITIVE_INFINITY;
  return { now: () => new Date(Math.min(endMs, scenarioOrigin + (Date.now() - realOrigin) * speed)) };
}

/** When a demo's scenario clock stops (the end of its data), or null: the wall clock never stops. */
export function getClockEnd(): Date | null {
  const env = getEnv();
  return env.SRCWATCH_CLOCK_ORIGIN ? (env.SRCWATCH_CLOCK_END ?? null) : null;
}

let clock: Clock | undefined;
export function getClock(): Clock {
  clock ??= createClockFromEnv();
  return clock;
}

/**
 * How many seconds of the clock pass per real second: 1, except in a demo whose scenario clock runs fast. Durations
 * about a person or a process — a confirmation link's lifetime, how long a poll took — are real durations; scale them
 * with this to compare with, or read them from, the clock's times.
 */
export function getClockSpeed(): number {
  const env = getEnv();
  return env.SRCWATCH_CLOCK_ORIGIN ? env.SRCWATCH_CLOCK_SPEED : 1;
}
