import { describe, expect, it } from "vitest";
import { GET as getAdvisoryRoute } from "../../app/api/v1/advisories/[id]/route";
import type { MirrorConfig } from "../../core/config";
import { isAvailable, matchBuild } from "../../core/match-build";
import type { AdvisoryDetailResponse } from "../../contract/advisory-dto";
import type { ScenarioPackageRelease } from "../../simulator/scenarios/june-2023";
import { computeMirrorPublications, type MirrorProfile } from "../../simulator/scenarios/mirror-publications";
import { pollMirror } from "../../worker/poll-mirror";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { useHarnessForWebReads } from "../support/use-harness-for-web-reads";
import type { WorkerHarness } from "../support/worker-harness";
import { configureSimulatedForge } from "../support/simulated-forge-config";

const HOUR_MS = 3_600_000;

/** Which scenario publications stand behind each mirror of the test, and what its evidence links are. */
const MIRRORS: Record<string, { profile: MirrorProfile; evidenceKind: string; lagToleranceSeconds: number | null }> = {
  "centos-stream": { profile: "centos-stream", evidenceKind: "tag", lagToleranceSeconds: 0 },
  "almalinux-errata": { profile: "almalinux", evidenceKind: "erratum", lagToleranceSeconds: null },
  // An erratum's time moves when a package joins it later; a git tag over plain smart HTTP has no time (first seen).
  "rocky-errata": { profile: "rocky", evidenceKind: "erratum", lagToleranceSeconds: null },
  openela: { profile: "openela", evidenceKind: "tag", lagToleranceSeconds: null },
  "oracle-srpms": { profile: "oracle", evidenceKind: "srpm", lagToleranceSeconds: 60 },
  // Added by configuration alone: a generic yum repository and a generic git forge.
  "my-yum": { profile: "oracle", evidenceKind: "srpm", lagToleranceSeconds: null },
  "my-forge": { profile: "openela", evidenceKind: "tag", lagToleranceSeconds: null },
};

const CONFIGURED_BY_HAND = [
  {
    id: "my-yum",
    kind: "yum-repo",
    name: "A yum repository",
    majors: [8, 9],
    repoUrlTemplates: ["{simulator}/oracle/repo/OracleLinux/OL{major}/baseos/latest/SRPMS/"],
    expectedLagHours: 72,
    missingAfterHours: 336,
    staleAfterMinutes: 2880,
    perHostMinIntervalMs: 0,
    egress: { allowPrivateNetwork: true },
  },
  configureSimulatedForge({ id: "my-forge", name: "A git forge" }),
];

/** The scenario's truth for one package on one mirror at `now`: the first available build, by the same rules. */
function expectVerdict(pkg: ScenarioPackageRelease, mirror: MirrorConfig, profile: MirrorProfile, harness: WorkerHarness, now: Date) {
  if (!pkg.isMainStream || !mirror.majors.includes(pkg.major)) return { status: "not_applicable", lagSeconds: null };
  const target = { name: pkg.name, epoch: pkg.epoch, version: pkg.version, release: pkg.release };
  const firstAt = computeMirrorPublications(harness.simulator.timeline, profile)
    .filter((pub) => pub.major === pkg.major && pub.publishedAt <= now)
    .filter((pub) => {
      const match = matchBuild(target, pub);
      return match !== null && isAvailable(match, mirror.relation);
    })
    .map((pub) => pub.publishedAt.getTime())
    .sort((a, b) => a - b)[0];
  // OpenELA's trackedFrom (2023-07-10): an update released before it is not applicable unless a poll that asked while
  // the mirror could still import its back catalogue found it — this test's polls at 06-20 and 07-05 found nothing, and
  // by 07-25 that window (missingAfterHours after trackedFrom) has closed.
  if (
    mirror.trackedFrom &&
    pkg.releasedAt < new Date(mirror.trackedFrom) &&
    !(firstAt !== undefined && firstAt <= Date.parse("2023-07-05T00:00:00Z"))
  ) {
    return { status: "not_applicable", lagSeconds: null };
  }
  if (firstAt !== undefined)
    return { status: "published", lagSeconds: Math.max(0, Math.round((firstAt - pkg.releasedAt.getTime()) / 1000)) };
  const ageHours = (now.getTime() - pkg.releasedAt.getTime()) / HOUR_MS;
  const status = ageHours < mirror.expectedLagHours ? "pending" : ageHours < mirror.missingAfterHours ? "delayed" : "missing";
  return { status, lagSeconds: null };
}

describe(`every public place side by side (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;

  useHarnessForWebReads(
    {
      start: "2023-06-20T00:00:00Z",
      startDate: "2023-06-01",
      extraMirrors: ["centos-stream", "almalinux-errata", "rocky-errata", "openela", "oracle-srpms"],
      configuredMirrors: CONFIGURED_BY_HAND,
    },
    async (started) => {
      harness = started;
    },
  );

  it.each(["2023-06-20T00:00:00Z", "2023-07-05T00:00:00Z", "2023-07-25T00:00:00Z"])(
    "gets every mirror's verdicts right at %s, including the mirrors added by configuration only",
    async (at) => {
      harness.clock.set(new Date(at));
      await runPollCycle(harness.deps);
      const now = harness.clock.now();
      const rows = await harness.database.db.verdict.findMany({
        where: { mirrorId: { in: Object.keys(MIRRORS) } },
        include: { package: { include: { advisory: { select: { id: true } } } }, evidence: { select: { kind: true } } },
      });
      const packages = new Map(harness.simulator.timeline.packages.map((pkg) => [`${pkg.advisoryId}/${pkg.nevra}/${pkg.major}`, pkg]));
      const statuses = new Map<string, Set<string>>();
      for (const row of rows) {
        const pkg = packages.get(
          `${row.package.advisoryId}/${row.package.name}-${row.package.epoch}:${row.package.version}-${row.package.release}/${row.package.major}`,
        );
        if (!pkg) continue;
        const mirror = harness.config.mirrors.find((candidate) => candidate.id === row.mirrorId)!;
        const { profile, evidenceKind, lagToleranceSeconds } = MIRRORS[row.mirrorId];
        const expected = expectVerdict(pkg, mirror, profile, harness, now);
        expect({ mirror: row.mirrorId, nevra: pkg.nevra, status: row.status }).toEqual({
          mirror: row.mirrorId,
          nevra: pkg.nevra,
          status: expected.status,
        });
        if (row.status === "published") {
          expect(row.evidence?.kind).toBe(evidenceKind);
          expect(row.matchOutcome).toMatch(/^(exact|equivalent|newer|different_stream)$/);
          if (lagToleranceSeconds !== null) {
            expect({
              mirror: row.mirrorId,
              nevra: pkg.nevra,
              lagOff: Math.abs((row.lagSeconds ?? -1e9) - expected.lagSeconds!) <= lagToleranceSeconds,
            }).toEqual({
              mirror: row.mirrorId,
              nevra: pkg.nevra,
              lagOff: true,
            });
          }
        }
        statuses.set(row.mirrorId, (statuses.get(row.mirrorId) ?? new Set()).add(row.status));
      }
      for (const mirrorId of Object.keys(MIRRORS)) expect(statuses.get(mirrorId)?.size ?? 0).toBeGreaterThan(0);
    },
  );

  it("keeps where each mirror's publication times came from, and no origin for a build without a time", async () => {
    const timed = await harness.database.db.evidence.groupBy({
      by: ["mirrorId", "publishedAtOrigin"],
      where: { publishedAt: { not: null } },
      _count: true,
    });
    const originsByMirror = (mirrorId: string) =>
      timed.filter((group) => group.mirrorId === mirrorId).map((group) => group.publishedAtOrigin);
    expect({
      "centos-stream": originsByMirror("centos-stream"),
      "almalinux-errata": originsByMirror("almalinux-errata"),
      "rocky-errata": originsByMirror("rocky-errata"),
      "oracle-srpms": originsByMirror("oracle-srpms"),
      "my-yum": originsByMirror("my-yum"),
    }).toEqual({
      "centos-stream": ["forge_api"],
      "almalinux-errata": ["erratum_date"],
      "rocky-errata": ["erratum_date"],
      "oracle-srpms": ["index_date"],
      "my-yum": ["erratum_date"],
    });
    await expect(harness.database.db.evidence.count({ where: { publishedAt: null, publishedAtOrigin: { not: null } } })).resolves.toBe(0);
  });

  it("says in the API where the time each published lag is measured to came from", async () => {
    const published = await harness.database.db.verdict.findFirstOrThrow({
      where: { mirrorId: "oracle-srpms", status: "published" },
      include: { package: true },
    });
    const id = published.package.advisoryId;
    const detail = (await (
      await getAdvisoryRoute(new Request(`http://srcwatch.test/api/v1/advisories/${id}`), { params: Promise.resolve({ id }) })
    ).json()) as AdvisoryDetailResponse;
    const verdict = detail.packages
      .flatMap((pkg) => pkg.verdicts)
      .find((entry) => entry.mirrorId === "oracle-srpms" && entry.status === "published")!;
    expect(verdict).toMatchObject({ lagTimeOrigin: "index_date", isTimeSuspect: false, evidence: { publishedAtOrigin: "index_date" } });
  });

  it("shows all mirrors side by side for one update, with match outcome, reason and the right kind of evidence link", async () => {
    const rebuilt = await harness.database.db.verdict.findFirstOrThrow({
      where: { mirrorId: "almalinux-errata", status: "published" },
      include: { package: true },
    });
    const id = rebuilt.package.advisoryId;
    const response = await getAdvisoryRoute(new Request(`http://srcwatch.test/api/v1/advisories/${id}`), {
      params: Promise.resolve({ id }),
    });
    expect(response.status).toBe(200);
    const detail = (await response.json()) as AdvisoryDetailResponse;
    const verdicts = detail.packages.find((pkg) => pkg.name === rebuilt.package.name && pkg.major === rebuilt.package.major)!.verdicts;
    expect(verdicts.map((verdict) => verdict.mirrorId)).toEqual(harness.config.mirrors.map((mirror) => mirror.id));
    for (const verdict of verdicts.filter((entry) => entry.status === "published")) {
      expect(verdict.match?.reason.length).toBeGreaterThan(0);
      expect(verdict.evidence?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    }
    expect(verdicts.find((verdict) => verdict.mirrorId === "centos-stream")?.mirrorRelation).toBe("related");
  });

  it("calls an AlmaLinux .alma.N or Oracle .0.N rebuild an equivalent rebuild, and says why", async () => {
    const equivalent = await harness.database.db.verdict.findMany({ where: { matchOutcome: "equivalent", status: "published" } });
    const reasonsByMirror = new Map<string, string[]>();
    for (const row of equivalent) reasonsByMirror.set(row.mirrorId, [...(reasonsByMirror.get(row.mirrorId) ?? []), row.matchReason ?? ""]);
    expect(reasonsByMirror.get("almalinux-errata")?.join("\n")).toMatch(/AlmaLinux suffix \.alma\.1/);
    expect(reasonsByMirror.get("oracle-srpms")?.join("\n")).toMatch(/Oracle rebuild suffix \.0\.1/);
    expect(reasonsByMirror.get("git.centos.org")).toBeUndefined();
  });

  it("backs off a mirror answering 429 with Retry-After and resumes later, losing nothing", async () => {
    const rocky = harness.config.mirrors.find((mirror) => mirror.id === "rocky-errata")!;
    harness.clock.set(new Date("2023-08-20T00:00:00Z"));
    harness.simulator.replicas.rocky.setRateLimit({ requests: 0, windowMs: 60_000 });
    let limited;
    try {
      limited = await pollMirror(
        { ...harness.deps, createHttpClient: (source, options) => harness.deps.createHttpClient({ ...source, retries: 1 }, options) },
        rocky,
      );
    } finally {
      harness.simulator.replicas.rocky.setRateLimit(null);
    }
    expect(["partial", "failed"]).toContain(limited.report.outcome);
    expect(limited.report.errorKind).toBe("rate_limited");

    await pollMirror(harness.deps, rocky);
    const stored = await harness.database.db.evidence.count({ where: { mirrorId: "rocky-errata" } });
    const published = computeMirrorPublications(harness.simulator.timeline, "rocky").filter(
      (pub) => pub.publishedAt <= harness.clock.now(),
    );
    expect(stored).toBe(new Set(published.map((pub) => `${pub.erratumId}/${pub.nvr}`)).size);
  });
});
