import { describe, expect, it } from "vitest";
import { encodeSyncState, safeDecodeSyncState } from "./sync-state-codec";

describe("sync state codec", () => {
  it("reads back the source's state as it stored it, fields left undefined dropped", () => {
    const state = { cursor: "2023-06-16T00:00:00.000Z", etag: undefined, validators: { "changes.csv": '"abc"' }, seen: [1, 2] };
    expect(safeDecodeSyncState(encodeSyncState(state))).toEqual({
      cursor: "2023-06-16T00:00:00.000Z",
      validators: { "changes.csv": '"abc"' },
      seen: [1, 2],
    });
  });

  it("refuses a state JSON cannot hold, naming the column and the source", () => {
    expect(() => encodeSyncState(undefined, "redhat-csaf")).toThrowError(/^SourceState\.syncState of row redhat-csaf: refusing to store/);
  });

  it("reads a state that is not JSON as none, so the source starts over", () => {
    expect(safeDecodeSyncState("{cursor")).toBeNull();
  });
});
