import { setImmediate as waitForImmediate } from "node:timers/promises";

const DEFAULT_SLICE_MS = 10;

/**
 * For long synchronous-looking loops (decompression, XML scanning): returns a function to await between steps
 * that lets the event loop run (other polls, timers, I/O) once `sliceMs` of work has passed since the last turn.
 * Promise chains alone never give timers or sockets a turn.
 */
export function createEventLoopYielder(sliceMs = DEFAULT_SLICE_MS): () => Promise<void> {
  let lastTurnAt = performance.now();
  return async () => {
    if (performance.now() - lastTurnAt < sliceMs) return;
    await waitForImmediate();
    lastTurnAt = performance.now();
  };
}
