import type http from "node:http";

/** One replicated service mounted in the simulator: it answers the paths it owns and leaves the rest. */
export interface SimulatorReplica {
  /** `pathname` is decoded. Returns false when the path is not this replica's. */
  handle(request: http.IncomingMessage, response: http.ServerResponse, pathname: string): boolean | Promise<boolean>;
}
