import { describe, expect, it } from "vitest";
import { createPartialStopDetails } from "../../test/support/notification-fixtures";
import { AlertDetailResponse, AlertDetailsDto, AlertPartialStopDto } from "../../contract/alert-dto";
import { readPartialStop } from "./read-partial-stop";
import { toAlertDetailsDto } from "./list-alerts";

const numbers = () => createPartialStopDetails().partialStop!;

describe("AlertPartialStopDto", () => {
  it("accepts the rule's numbers and package lists as they are", () => {
    expect(AlertPartialStopDto.parse(numbers())).toEqual(numbers());
  });

  it.each([
    ["more published than counted in the window", { publishedInWindow: 21 }],
    ["more published than counted in the baseline", { publishedInBaseline: 21 }],
    ["an empty window", { windowSize: 0, publishedInWindow: 0 }],
    ["a fractional count", { publishedInWindow: 4.5 }],
    ["a negative lag", { normalLagHours: -1 }],
    ["no stopped packages list", { stoppedPackages: undefined }],
    ["a kept package that is not a name", { keptPackages: [42] }],
  ])("refuses %s", (_, change) => {
    expect(AlertPartialStopDto.safeParse({ ...numbers(), ...change }).success).toBe(false);
  });

  it("is part of an alert's details, null for other kinds", () => {
    const details = createPartialStopDetails();
    const dto = toAlertDetailsDto(details, { mirrorId: "openela", major: 8 });
    expect(AlertDetailsDto.parse(dto).partialStop).toEqual(numbers());
    expect(
      toAlertDetailsDto({ mirrorId: "openela", mirrorName: "OpenELA", major: 8, items: [] }, { mirrorId: "openela", major: 8 }).partialStop,
    ).toBeNull();
    expect(AlertDetailsDto.safeParse({ ...dto, partialStop: undefined }).success).toBe(false);
  });

  it("reads stored numbers that do not hold together as none", () => {
    expect(readPartialStop({ ...numbers(), publishedInWindow: 30 })).toBeNull();
    expect(readPartialStop("garbage")).toBeNull();
    expect(readPartialStop(undefined)).toBeNull();
    const dto = toAlertDetailsDto(
      { ...createPartialStopDetails(), partialStop: { ...numbers(), stoppedPackages: null as unknown as string[] } },
      { mirrorId: "openela", major: 8 },
    );
    expect(dto.partialStop).toBeNull();
  });

  it("validates inside a whole alert detail answer", () => {
    const details = toAlertDetailsDto(createPartialStopDetails(), { mirrorId: "openela", major: 8 });
    const answer = {
      now: "2023-06-21T00:00:00.000Z",
      alert: {
        id: 1,
        kind: "partial_stop",
        kindLabel: "Mirror stopped some packages",
        mirrorId: "openela",
        mirrorName: "OpenELA",
        major: 8,
        status: "firing",
        severity: "Important",
        summary: "OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20)",
        startsAt: "2023-06-20T00:00:00.000Z",
        resolvedAt: null,
        lastChangedAt: "2023-06-20T00:00:00.000Z",
        inhibitedById: null,
        silenced: false,
        itemCount: 16,
        url: "https://srcwatch.example.org/alerts/1",
        details,
        events: [],
        activeSilences: [],
      },
    };
    expect(AlertDetailResponse.parse(answer).alert.details.partialStop).toEqual(numbers());
    expect(
      AlertDetailResponse.safeParse({
        ...answer,
        alert: { ...answer.alert, details: { ...details, partialStop: { ...numbers(), publishedInBaseline: 99 } } },
      }).success,
    ).toBe(false);
  });
});
