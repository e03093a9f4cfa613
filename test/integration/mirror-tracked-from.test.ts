import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertDetails } from "../../core/alerts/types";
import type { MirrorConfig } from "../../core/config";
import type { VerdictStatus } from "../../core/types";
import { evaluateAlerts } from "../../server/alerts/evaluate-alerts";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";
import type { ScenarioPackageRelease } from "../../simulator/scenarios/june-2023";
import type { MirrorProfile } from "../../simulator/scenarios/mirror-publications";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { runPollCycle } from "../../worker/run-poll-cycle";
import {
  expectScenarioStatus,
  findFirstAvailableAt,
  indexScenarioPackages,
  listScenarioPublications,
  scenarioPackageKey,
} from "../support/scenario-verdicts";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";
import { configureSimulatedForge } from "../support/simulated-forge-config";

/**
 * Issue "truth of time", item 6: a mirror's lifetime. With `trackedFrom`, an update released before it is not
 * applicable (statusReason before_tracked_from) once the mirror has been asked and does not have it — no "missing" and
 * no alert for a time the mirror did not exist — and published if it has it; updates released after are judged as always.
 */

const SLOW_TEST_MS = 240_000;
const MINUTE_MS = 60_000;

interface Expectation {
  status: VerdictStatus;
  statusReason: string | null;
}

/** The scenario's truth at `now` for a mirror first asked at `askedAt`, with its trackedFrom. */
function expectVerdict(
  pkg: ScenarioPackageRelease,
  mirror: MirrorConfig,
  profile: MirrorProfile | "centos",
  harness: WorkerHarness,
  askedAt: Date,
  now: Date,
): Expectation {
  const publications = listScenarioPublications(harness.simulator.timeline, profile);
  if (!pkg.isMainStream || !mirror.majors.includes(pkg.major)) return { status: "not_applicable", statusReason: "not_carried" };
  const trackedFrom = mirror.trackedFrom ? new Date(mirror.trackedFrom) : null;
  if (trackedFrom && pkg.releasedAt < trackedFrom) {
    // Decided by the last poll that asked while the mirror may still import its back catalogue (until missingAfterHours
    // after trackedFrom; server/verdicts/open-verdicts.ts): there → published; not there → not applicable.
    const firstAt = findFirstAvailableAt(pkg, mirror, publications);
    return firstAt !== null && firstAt <= askedAt
      ? { status: "published", statusReason: null }
      : { status: "not_applicable", statusReason: "before_tracked_from" };
  }
  return { status: expectScenarioStatus(pkg, mirror, publications, now), statusReason: null };
}

function createTrackedFromFixture(harness: WorkerHarness) {
  const db = harness.database.db;
  const scenarioPackages = indexScenarioPackages(harness.simulator.timeline);
  const mirrorOf = (id: string) => harness.config.mirrors.find((mirror) => mirror.id === id)!;

  /** Every verdict of the mirror against the scenario; counts by `released before/after trackedFrom: status/reason`. */
  const expectScenarioVerdicts = async (mirrorId: string, profile: MirrorProfile | "centos", askedAt: Date) => {
    const mirror = mirrorOf(mirrorId);
    const trackedFrom = new Date(mirror.trackedFrom ?? 0);
    const now = harness.clock.now();
    const counts: Record<string, number> = {};
    const rows = await db.verdict.findMany({
      where: { mirrorId },
      select: {
        status: true,
        statusReason: true,
        package: { select: { advisoryId: true, name: true, epoch: true, version: true, release: true, major: true } },
      },
    });
    for (const row of rows) {
      const pkg = scenarioPackages.get(scenarioPackageKey(row.package));
      if (!pkg) continue;
      const expected = expectVerdict(pkg, mirror, profile, harness, askedAt, now);
      const label = `${mirrorId} ${pkg.advisoryId} ${pkg.nvr} released ${pkg.releasedAt.toISOString()}`;
      expect({ label, status: row.status, statusReason: row.statusReason }).toEqual({ label, ...expected });
      const key = `${pkg.releasedAt < trackedFrom ? "before" : "after"} ${row.status}/${row.statusReason}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  /** The updates the mirror's alerts name (fired or not, resolved or not): advisory × major with their release. */
  const listAlertedUpdates = async (mirrorId: string) => {
    const alerts = await db.alert.findMany({ where: { mirrorId }, include: { events: true } });
    return alerts.flatMap((alert) =>
      [alert.details, ...alert.events.map((event) => event.details)].flatMap((details) =>
        (JSON.parse(details) as AlertDetails).items.map((item) => ({
          kind: alert.kind,
          advisoryId: item.advisoryId,
          issuedAt: new Date(item.issuedAt),
          statuses: item.packages.map((pkg) => pkg.status),
        })),
      ),
    );
  };

  return { db, mirrorOf, expectScenarioVerdicts, listAlertedUpdates };
}

describe(`trackedFrom: a mirror that began after updates it is compared with (${testDatabaseProvider()})`, () => {
  /**
   * git.centos.org as if it had begun on 2023-06-16, two days after its cut-off (2023-06-14): updates released before
   * the cut-off it has (published), the ones between cut-off and trackedFrom it never had (not applicable), and the ones
   * released since are judged as always (missing, delayed, pending: it imports nothing any more).
   */
  const TRACKED_FROM = "2023-06-16";
  let harness: WorkerHarness;
  let fixture: ReturnType<typeof createTrackedFromFixture>;
  let centos: MirrorConfig;
  /** The start of the first mirror poll after the upstream's sync: when the updates before trackedFrom were decided. */
  let askedAt: Date;
  let missingAfterFirstAsk: number;

  beforeAll(async () => {
    harness = await startWorkerHarness({
      start: "2023-06-28T00:00:00Z",
      startDate: "2023-06-01",
      mirrorOverrides: { trackedFrom: TRACKED_FROM },
    });
    fixture = createTrackedFromFixture(harness);
    centos = fixture.mirrorOf("git.centos.org");
  }, SLOW_TEST_MS);
  afterAll(async () => harness?.close());

  it(
    "is not checked, not 'not applicable', before the mirror was asked",
    async () => {
      const { deps } = harness;
      expect(centos.trackedFrom).toBe(TRACKED_FROM);
      // A first start: the mirror's poll comes before the upstream's first sync (so it asked about nothing).
      await pollMirror(deps, centos);
      harness.clock.advance(MINUTE_MS);
      await pollUpstream(deps, harness.config.upstreams[0]);
      await evaluateMirrorVerdicts(deps.db, { mirror: centos, now: deps.now() });
      await evaluateAlerts(deps.db, { mirror: centos, config: deps.config, now: deps.now() });
      const statuses = await fixture.db.verdict.groupBy({ by: ["status", "statusReason"], where: { mirrorId: centos.id }, _count: true });
      expect(statuses.map((group) => `${group.status}/${group.statusReason}`).sort()).toEqual([
        "not_applicable/not_carried",
        "unknown/not_checked",
      ]);
      expect(await fixture.db.alert.count({ where: { mirrorId: centos.id } })).toBe(0);
    },
    SLOW_TEST_MS,
  );

  it(
    "once asked: not applicable before trackedFrom unless there, published if there, judged as always after",
    async () => {
      harness.clock.advance(MINUTE_MS);
      askedAt = harness.clock.now();
      await runPollCycle(harness.deps);
      const counts = await fixture.expectScenarioVerdicts(centos.id, "centos", askedAt);
      console.log(`git.centos.org tracked from ${TRACKED_FROM}: ${JSON.stringify(counts)}`);
      expect(counts).toMatchObject({
        "before published/null": expect.any(Number),
        "before not_applicable/before_tracked_from": expect.any(Number),
        "after missing/null": expect.any(Number),
        "after delayed/null": expect.any(Number),
      });
      expect(Object.keys(counts).filter((key) => key.startsWith("before ") && !/published|not_applicable/.test(key))).toEqual([]);
      missingAfterFirstAsk = counts["after missing/null"];
    },
    SLOW_TEST_MS,
  );

  it("alerts about the updates released since trackedFrom, never about one before it", async () => {
    const alerted = await fixture.listAlertedUpdates(centos.id);
    console.log(
      `alerted: ${[...new Set(alerted.map((item) => `${item.kind} ${item.advisoryId} ${item.issuedAt.toISOString().slice(0, 10)}`))].join(", ")}`,
    );
    expect(alerted.some((item) => item.kind === "update_missing")).toBe(true);
    expect(alerted.filter((item) => item.issuedAt < new Date(TRACKED_FROM)).map((item) => `${item.kind} ${item.advisoryId}`)).toEqual([]);
  });

  it(
    "stays quiet about them as time passes, while the updates since trackedFrom turn delayed and missing",
    async () => {
      for (let cycle = 0; cycle < 4; cycle++) {
        harness.clock.advance(12 * 60 * MINUTE_MS);
        await runPollCycle(harness.deps);
      }
      // Before trackedFrom nothing changed; after it, time moved pending → delayed → missing.
      const counts = await fixture.expectScenarioVerdicts(centos.id, "centos", askedAt);
      expect(counts["before not_applicable/before_tracked_from"]).toBeGreaterThan(0);
      expect(counts["after missing/null"]).toBeGreaterThan(missingAfterFirstAsk);
      const alerted = await fixture.listAlertedUpdates(centos.id);
      expect(alerted.filter((item) => item.issuedAt < new Date(TRACKED_FROM)).map((item) => `${item.kind} ${item.advisoryId}`)).toEqual([]);
    },
    SLOW_TEST_MS,
  );
});

describe(`trackedFrom: the simulated OpenELA, which began importing on 2023-07-10 (config/demo.json) (${testDatabaseProvider()})`, () => {
  /** The same replica without trackedFrom: what the demo showed before — "missing" for the time OpenELA did not exist. */
  const UNTRACKED = "openela-untracked";
  let harness: WorkerHarness;
  let fixture: ReturnType<typeof createTrackedFromFixture>;
  /** The first cycle's start: when OpenELA was first asked, and the updates before trackedFrom were decided. */
  let askedAt: Date;

  beforeAll(async () => {
    harness = await startWorkerHarness({
      start: "2023-07-11T12:00:00Z",
      startDate: "2023-06-01",
      extraMirrors: ["openela"],
      configuredMirrors: [configureSimulatedForge({ id: UNTRACKED, name: "OpenELA without trackedFrom" })],
    });
    fixture = createTrackedFromFixture(harness);
  }, SLOW_TEST_MS);
  afterAll(async () => harness?.close());

  it(
    "calls what OpenELA had not imported yet from before its start not applicable, what it had published, and raises no alert",
    async () => {
      const openela = fixture.mirrorOf("openela");
      expect(openela.trackedFrom).toBe("2023-07-10");
      // A fresh install in the middle of OpenELA's first days: it is importing the backlog.
      askedAt = harness.clock.now();
      await runPollCycle(harness.deps);
      const counts = await fixture.expectScenarioVerdicts("openela", "openela", askedAt);
      console.log(`openela tracked from ${openela.trackedFrom}, first asked ${askedAt.toISOString()}: ${JSON.stringify(counts)}`);
      expect(counts).toMatchObject({
        "before published/null": expect.any(Number),
        "before not_applicable/before_tracked_from": expect.any(Number),
      });
      expect(await fixture.db.verdict.count({ where: { mirrorId: "openela", status: { in: ["delayed", "missing"] } } })).toBe(0);
      expect(await fixture.listAlertedUpdates("openela")).toEqual([]);

      // Without trackedFrom the same mirror's past is "missing" and alerted.
      const untracked = await fixture.db.verdict.count({ where: { mirrorId: UNTRACKED, status: "missing" } });
      expect(untracked).toBeGreaterThan(0);
      expect((await fixture.listAlertedUpdates(UNTRACKED)).some((item) => item.kind === "update_missing")).toBe(true);
      console.log(`the same replica without trackedFrom: ${untracked} missing`);
    },
    SLOW_TEST_MS,
  );

  it(
    "judges updates released after trackedFrom as always: published once OpenELA imports them",
    async () => {
      const openela = fixture.mirrorOf("openela");
      for (let cycle = 0; cycle < 3; cycle++) {
        harness.clock.advance(24 * 60 * MINUTE_MS);
        await runPollCycle(harness.deps);
      }
      // Within OpenELA's first missingAfterHours its backlog imports still count: what it imported since is published.
      const counts = await fixture.expectScenarioVerdicts("openela", "openela", harness.clock.now());
      console.log(`openela three days later: ${JSON.stringify(counts)}`);
      expect(counts["after published/null"]).toBeGreaterThan(0);
      expect(await fixture.listAlertedUpdates(openela.id)).toEqual([]);
    },
    SLOW_TEST_MS,
  );
});
