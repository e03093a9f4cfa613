import { describe, expect, it } from "vitest";
import type { MirrorsResponse } from "@/contract/mirror-dto";
import { findDataGap } from "./data-gap";

type Source = { name: string; health: { status: string; lastSuccessAt: string | null } };
const source = (name: string, status: string, lastSuccessAt: string | null = null): Source => ({ name, health: { status, lastSuccessAt } });
const sources = (upstreams: Source[], mirrors: Source[]) =>
  ({ upstreams, mirrors }) as unknown as Pick<MirrorsResponse, "mirrors" | "upstreams">;

describe("findDataGap", () => {
  it("sees no gap while an upstream and a mirror answer, whatever the others do", () => {
    expect(findDataGap(sources([source("CSAF", "ok")], [source("git.centos.org", "failing"), source("AlmaLinux", "ok")]))).toBeNull();
    expect(findDataGap(sources([], []))).toBeNull();
  });

  it("says since when no source answers: the last success of any, or never", () => {
    expect(
      findDataGap(
        sources(
          [source("CSAF", "failing", "2023-06-10T00:00:00.000Z")],
          [source("git.centos.org", "stale", "2023-06-12T08:00:00.000Z"), source("AlmaLinux", "never_polled")],
        ),
      ),
    ).toEqual({ scope: "every_source", since: "2023-06-12T08:00:00.000Z" });
    expect(findDataGap(sources([source("CSAF", "never_polled")], [source("AlmaLinux", "failing")]))).toEqual({
      scope: "every_source",
      since: null,
    });
  });

  it("names the upstream feeds when only they are out: mirrors are judged against an old list", () => {
    expect(findDataGap(sources([source("Red Hat CSAF", "failing", "2023-06-11T00:00:00.000Z")], [source("AlmaLinux", "ok")]))).toEqual({
      scope: "upstream",
      since: "2023-06-11T00:00:00.000Z",
      names: ["Red Hat CSAF"],
    });
  });
});
