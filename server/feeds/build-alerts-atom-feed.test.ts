import { describe, expect, it } from "vitest";
import { createPartialStopDetails } from "../../test/support/notification-fixtures";
import type { AlertDetailsDto, AlertItemDto, AlertSummaryDto } from "../../contract/alert-dto";
import { buildAlertsAtomFeed } from "./build-alerts-atom-feed";

const alert: AlertSummaryDto = {
  id: 7,
  kind: "update_missing",
  kindLabel: "Updates missing",
  mirrorId: "git.centos.org",
  mirrorName: "git.centos.org",
  major: 8,
  status: "firing",
  severity: "Important",
  summary: "2 updates missing on git.centos.org for RHEL 8",
  startsAt: "2023-06-20T10:00:00.000Z",
  resolvedAt: null,
  lastChangedAt: "2023-06-20T10:00:00.000Z",
  inhibitedById: null,
  silenced: false,
  itemCount: 3,
  url: "https://srcwatch.example.org/alerts/7",
};

function item(advisoryId: string, advisoryUrl: string): AlertItemDto {
  return {
    advisoryId,
    advisoryUrl,
    severity: "Important",
    title: null,
    issuedAt: "2023-06-10T10:00:00.000Z",
    major: 8,
    packages: [],
    ageHours: 240,
  };
}

function renderFeed(items: AlertItemDto[], input: { alert?: AlertSummaryDto; details?: Partial<AlertDetailsDto> } = {}): string {
  const details: AlertDetailsDto = {
    mirrorId: "git.centos.org",
    mirrorName: "git.centos.org",
    major: 8,
    items,
    stop: null,
    partialStop: null,
    stale: null,
    publishedElsewhere: null,
    ...input.details,
  };
  const at = new Date("2023-06-20T10:00:00Z");
  return buildAlertsAtomFeed([{ eventId: 1, isResolve: false, at, alert: input.alert ?? alert, details }], {
    publicUrl: "https://srcwatch.example.org",
    selfUrl: "https://srcwatch.example.org/feeds/alerts.atom",
    filterLabel: null,
    filterKey: "",
    emptySince: at,
  });
}

describe("buildAlertsAtomFeed", () => {
  it("links each advisory's own page under the name of the host it really points at", () => {
    const feed = renderFeed([item("RHSA-2023:3001", "https://access.redhat.com/errata/RHSA-2023:3001")]);
    expect(feed).toContain('(<a href="https://access.redhat.com/errata/RHSA-2023:3001">access.redhat.com</a>)');
  });

  it("renders advisory links stored before links were checked as no link at all when they are not plain http(s)", () => {
    const feed = renderFeed([
      item("RHSA-2023:3001", "javascript:alert(document.domain)//errata/RHSA-2023:3001"),
      item("RHSA-2023:3002", "https://access.redhat.com@evil.example/errata/RHSA-2023:3002"),
      item("RHSA-2023:3003", "https://access.redhat.com.evil.example/errata/RHSA-2023:3003"),
    ]);
    expect(feed).not.toMatch(/javascript:/i);
    expect(feed).not.toContain("access.redhat.com@evil.example");
    expect(feed).toContain("RHSA-2023:3002");
    // An off-site https link from an old row stays a link, but is labelled with its real host, never "Red Hat".
    expect(feed).toContain(">access.redhat.com.evil.example</a>");
    expect(feed).not.toContain("Red Hat</a>");
  });

  it("tells a partial stop's numbers, every stopped package, the packages still arriving and the unpublished updates", () => {
    const stored = createPartialStopDetails();
    const summary = "OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20); these packages stopped: bash, curl, …";
    const feed = renderFeed(stored.items, {
      alert: {
        ...alert,
        kind: "partial_stop",
        kindLabel: "Mirror stopped some packages",
        mirrorId: "openela",
        mirrorName: "OpenELA",
        summary,
        itemCount: stored.items.length,
      },
      details: { mirrorId: "openela", mirrorName: "OpenELA", partialStop: stored.partialStop! },
    });
    expect(feed).toContain("OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20).");
    expect(feed).toContain("Mirror stopped some packages");
    expect(feed).toContain("Normal lag: 1 d 7 h");
    expect(feed).toContain(`Stopped packages (16): ${stored.partialStop!.stoppedPackages.join(", ")}`);
    expect(feed).toContain("Still arriving (2): firefox, thunderbird");
    expect(feed).toContain("Unpublished updates in the window (16):");
    for (const item of stored.items) expect(feed).toContain(`<a href="${item.advisoryUrl}">access.redhat.com</a>`);
  });
});
