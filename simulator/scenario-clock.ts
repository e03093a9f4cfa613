export interface Clock {
  now(): Date;
}

export interface ScenarioClock extends Clock {
  scenarioOrigin: Date;
  /** Epoch ms of the real instant at which the scenario was at `scenarioOrigin`. */
  realOrigin: number;
  speed: number;
  /** The same clock for the web app and the worker. */
  env: { SRCWATCH_CLOCK_ORIGIN: string; SRCWATCH_CLOCK_REAL_ORIGIN: string; SRCWATCH_CLOCK_SPEED: string; SRCWATCH_CLOCK_END?: string };
  /** Where the clock stops (the end of the scenario's data), or null. */
  end: Date | null;
}

export interface ManualClock extends Clock {
  set(date: Date): void;
  advance(ms: number): void;
}

/** now = min(end, scenarioOrigin + (Date.now() − realOrigin) × speed): the formula shared with server/clock.ts. */
export function createScenarioClock(options: { scenarioOrigin: Date; speed: number; realOrigin?: number; end?: Date }): ScenarioClock {
  const { scenarioOrigin, speed } = options;
  if (!Number.isFinite(scenarioOrigin.getTime())) throw new RangeError("scenarioOrigin is not a valid date");
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const realOrigin = options.realOrigin ?? Date.now();
  const originMs = scenarioOrigin.getTime();
  const end = options.end ?? null;
  if (end && !(end.getTime() > originMs)) throw new RangeError("end must be after scenarioOrigin");
  const endMs = end?.getTime() ?? Number.POSITIVE_INFINITY;
  return {
    now: () => new Date(Math.min(endMs, originMs + (Date.now() - realOrigin) * speed)),
    scenarioOrigin: new Date(originMs),
    realOrigin,
    speed,
    end,
    env: {
      SRCWATCH_CLOCK_ORIGIN: scenarioOrigin.toISOString(),
      SRCWATCH_CLOCK_REAL_ORIGIN: String(realOrigin),
      SRCWATCH_CLOCK_SPEED: String(speed),
      ...(end ? { SRCWATCH_CLOCK_END: end.toISOString() } : {}),
    },
  };
}

export function createManualClock(start: Date): ManualClock {
  let currentMs = start.getTime();
  return {
    now: () => new Date(currentMs),
    set: (date) => {
      currentMs = date.getTime();
    },
    advance: (ms) => {
      currentMs += ms;
    },
  };
}
