"use client";

import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * False while the server's HTML is shown, true once React runs in the browser. A button whose click only a handler
 * can answer stays disabled until then: a click before hydration would otherwise do nothing, and say nothing.
 */
export function useIsHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
