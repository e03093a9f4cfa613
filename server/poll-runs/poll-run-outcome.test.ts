import { describe, expect, it } from "vitest";
import { toPollRunDto } from "../read/to-poll-run-dto";
import { encodePollRunNotes, POLL_RUN_NOTE_MAX_CHARACTERS, POLL_RUN_NOTES_MAX_LINES } from "./poll-run-outcome";

describe("a poll run's notes", () => {
  it("are kept a line each, bounded in lines and characters, and null when there are none", () => {
    expect(encodePollRunNotes(undefined)).toBeNull();
    expect(encodePollRunNotes(["", "  "])).toBeNull();
    expect(encodePollRunNotes(["first sync from csaf_advisories_2023-06-10.tar.zst: 12 documents read from it"])).toBe(
      "first sync from csaf_advisories_2023-06-10.tar.zst: 12 documents read from it",
    );
    // A note that carries a line break stays one line.
    expect(encodePollRunNotes(["one\r\ntwo", "three"])).toBe("one two\nthree");
    const many = encodePollRunNotes(Array.from({ length: 50 }, (_, index) => `note ${index} ${"x".repeat(1000)}`))!;
    const lines = many.split("\n");
    expect(lines).toHaveLength(POLL_RUN_NOTES_MAX_LINES);
    expect(lines.every((line) => line.length === POLL_RUN_NOTE_MAX_CHARACTERS && line.endsWith("…"))).toBe(true);
  });

  it("reach the API a line each, without the characters that could disguise them", () => {
    const row = {
      id: 7,
      sourceId: "redhat-csaf",
      sourceKind: "upstream",
      startedAt: new Date("2023-06-10T00:00:00Z"),
      finishedAt: new Date("2023-06-10T00:01:00Z"),
      outcome: "success",
      requests: 14,
      notModified: 0,
      bytes: 1000,
      items: 10,
      errorKind: null,
      errorMessage: null,
      notes: "first sync without the archive (\u202eevil\u0007): 3 documents fetched one by one\nsecond",
    };
    expect(toPollRunDto(row).notes).toEqual(["first sync without the archive ( evil ): 3 documents fetched one by one", "second"]);
    expect(toPollRunDto({ ...row, notes: null }).notes).toEqual([]);
  });
});
