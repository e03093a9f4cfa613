import type { Db } from "../../server/db/client";

/**
 * A Db whose first `db[model][method](…)` call runs `write` right after it answered: another process (the worker)
 * committing between a read and the transaction that acts on it. `hasInterleaved()` tells whether it happened.
 */
export function interleaveAfterRead<M extends "alert" | "alertEvent" | "subscription" | "verdict">(
  db: Db,
  input: { model: M; method: keyof Db[M] & string; write: () => Promise<unknown> },
): { db: Db; hasInterleaved: () => boolean } {
  let hasInterleaved = false;
  const model = new Proxy(db[input.model] as object, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== input.method || hasInterleaved || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const answer = (await (value as (...callArgs: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
        hasInterleaved = true;
        await input.write();
        return answer;
      };
    },
  });
  const interleaved = new Proxy(db, {
    get: (target, property, receiver) => (property === input.model ? model : (Reflect.get(target, property, receiver) as unknown)),
  });
  return { db: interleaved, hasInterleaved: () => hasInterleaved };
}
