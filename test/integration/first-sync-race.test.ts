import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertDetails } from "../../core/alerts/types";
import type { MirrorConfig } from "../../core/config";
import type { VerdictStatus } from "../../core/types";
import { evaluateAlerts } from "../../server/alerts/evaluate-alerts";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";
import type { ScenarioPackageRelease } from "../../simulator/scenarios/june-2023";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import type { WorkerDeps } from "../../worker/worker-deps";
import { createAskedLog, createGate, holdHttpAt, holdTransactionsAt } from "../support/poll-hooks";
import { expectScenarioStatus, indexScenarioPackages, listScenarioPublications, scenarioPackageKey } from "../support/scenario-verdicts";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

/**
 * Issue "truth of time", item 7: a package × mirror stays unknown ("not checked yet") until a poll of that mirror
 * has asked about it. A fresh install polls mirrors and the upstream at the same time, so a mirror is polled before,
 * during and after the upstream's first sync; only the poll after it may judge anything.
 *
 * Two kinds of mirror: git.centos.org asks the forge per open package name (MirrorNameCheck), AlmaLinux's errata are
 * read whole at every poll (SourceState.lastCheckedAllAt).
 *
 * How "during" is made deterministic (no sleeps, no timing): the handlers' deps are wrapped (test/support/poll-hooks.ts).
 * - `holdHttpAt`: the upstream poll has started (PollRun, progress) but its first HTTP request waits at a gate; the
 *   mirror polls start while it waits, their own first requests held at another gate. The upstream is let through and
 *   commits its first sync (the clock moved on: recordedAt is later than the mirror polls' start), and only then do
 *   the mirror polls go on and finish: polls that started before the commit and ended after it.
 * - `holdTransactionsAt`: the other interleaving. The upstream has fetched everything and read the time it records
 *   (recordedAt) but its transaction waits at a gate; mirror polls start after that time and run to the end before it
 *   commits. The per-package mirror then had no name to ask about; the listing mirror read everything it has.
 *
 * What each poll really asked is read off the HTTP answers (`createAskedLog`), independently of the rows the code
 * under test writes, and checked against the verdicts as well as the MirrorNameCheck / lastCheckedAllAt rows.
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const CENTOS = "git.centos.org";
const ALMA = "almalinux-errata";
/** Two weeks after git.centos.org's cut-off (2023-06-14): it has updates missing, delayed and published. */
const INSTALLED_AT = "2023-06-28T00:00:00Z";
const START_DATE = "2023-05-20";
/** Judgements of absence: only a poll that asked may make them. */
const ABSENT: VerdictStatus[] = ["pending", "delayed", "missing"];
const SLOW_TEST_MS = 240_000;

/** `/rpms/<name>.git/…` on the simulator's git.centos.org: the package name, percent-decoded (libstdc++ is libstdc%2B%2B). */
function decodeRepositoryName(pathname: string): string | null {
  const encoded = /^\/rpms\/([^/]+)\.git\//.exec(pathname)?.[1];
  return encoded === undefined ? null : decodeURIComponent(encoded);
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

interface VerdictRow {
  mirrorId: string;
  status: string;
  statusReason: string | null;
  package: { name: string; epoch: number; version: string; release: string; major: number; advisoryId: string; recordedAt: Date | null };
}

function createRaceFixture(harness: WorkerHarness) {
  const { deps } = harness;
  const db = deps.db;
  const mirrorOf = (id: string) => harness.config.mirrors.find((mirror) => mirror.id === id)!;
  const mirrors = [mirrorOf(CENTOS), mirrorOf(ALMA)];
  const simulatorOrigin = new URL(harness.simulator.url).origin;
  const asked = createAskedLog((url) => (url.origin === simulatorOrigin ? decodeRepositoryName(url.pathname) : null));
  const almaListings = mirrorOf(ALMA).majors.map((major) => `/almalinux/${major}/errata.full.json`);
  const scenarioPackages = indexScenarioPackages(harness.simulator.timeline);

  const poll = async (mirror: MirrorConfig, pollDeps: WorkerDeps = deps) => {
    const result = await pollMirror(asked.wrap(pollDeps), mirror);
    asked.settle(mirror.id, result.report.outcome);
    return result;
  };
  const evaluate = async () => {
    for (const mirror of mirrors) {
      await evaluateMirrorVerdicts(db, { mirror, now: deps.now() });
      await evaluateAlerts(db, { mirror, config: deps.config, now: deps.now() });
    }
  };
  const readVerdicts = (mirrorId: string): Promise<VerdictRow[]> =>
    db.verdict.findMany({
      where: { mirrorId },
      select: {
        mirrorId: true,
        status: true,
        statusReason: true,
        package: { select: { name: true, epoch: true, version: true, release: true, major: true, advisoryId: true, recordedAt: true } },
      },
    });
  const scenarioPackageOf = (row: VerdictRow) => scenarioPackages.get(scenarioPackageKey(row.package));
  const label = (row: VerdictRow) =>
    `${row.mirrorId} ${row.package.advisoryId} ${row.package.name}-${row.package.version}-${row.package.release} (RHEL ${row.package.major})`;

  /**
   * The rule of item 7 on every verdict of both mirrors: a judgement of absence only for a package the mirror was asked
   * about by a poll that started once the package was recorded — by the network's account and by the database's
   * (MirrorNameCheck per name, lastCheckedAllAt for a listing); a carried package nobody asked about is unknown, not_checked.
   */
  const expectNoJudgementWithoutAsking = async () => {
    for (const mirror of mirrors) {
      const [rows, state, checks] = await Promise.all([
        readVerdicts(mirror.id),
        db.sourceState.findUnique({ where: { sourceId: mirror.id }, select: { lastCheckedAllAt: true } }),
        db.mirrorNameCheck.findMany({ where: { mirrorId: mirror.id } }),
      ]);
      const checkedAtByName = new Map(checks.map((check) => [`${check.name}/${check.major}`, check.lastCheckedAt]));
      for (const row of rows) {
        const recordedAt = row.package.recordedAt!;
        const askedAt = asked.lastAskedAt(mirror.id, row.package.name, mirror.id === ALMA ? almaListings : []);
        const wasAsked = askedAt !== null && askedAt >= recordedAt;
        const own = checkedAtByName.get(`${row.package.name}/${row.package.major}`) ?? null;
        const all = state?.lastCheckedAllAt ?? null;
        const checkedAt = own === null || (all !== null && all > own) ? all : own;
        if (ABSENT.includes(row.status as VerdictStatus)) {
          expect({ verdict: label(row), status: row.status, wasAsked }).toEqual({
            verdict: label(row),
            status: row.status,
            wasAsked: true,
          });
          expect({ verdict: label(row), checkedSinceRecorded: checkedAt !== null && checkedAt >= recordedAt }).toEqual({
            verdict: label(row),
            checkedSinceRecorded: true,
          });
        }
        const isCarried = mirror.majors.includes(row.package.major) && scenarioPackageOf(row)?.isMainStream;
        if (isCarried && !wasAsked && row.status !== "published") {
          expect({ verdict: label(row), status: row.status, reason: row.statusReason }).toEqual({
            verdict: label(row),
            status: "unknown",
            reason: "not_checked",
          });
        }
      }
    }
  };

  /** Every verdict is what the scenario says at `now`, except the names listed, which must still be not checked. */
  const expectTrueVerdicts = async (mirrorId: string, notCheckedNames: readonly string[] = []) => {
    const mirror = mirrorOf(mirrorId);
    const publications = listScenarioPublications(harness.simulator.timeline, mirrorId === CENTOS ? "centos" : "almalinux");
    const now = deps.now();
    const counts: Record<string, number> = {};
    for (const row of await readVerdicts(mirrorId)) {
      const pkg = scenarioPackageOf(row);
      if (!pkg) continue;
      const expected = notCheckedNames.includes(row.package.name) ? "unknown" : expectScenarioStatus(pkg, mirror, publications, now);
      expect({ verdict: label(row), status: row.status }).toEqual({ verdict: label(row), status: expected });
      if (expected === "unknown")
        expect({ verdict: label(row), reason: row.statusReason }).toEqual({ verdict: label(row), reason: "not_checked" });
      counts[row.status] = (counts[row.status] ?? 0) + 1;
    }
    return counts;
  };

  const countCarried = async (mirrorId: string) => {
    const rows = await readVerdicts(mirrorId);
    return rows.filter((row) => mirrorOf(mirrorId).majors.includes(row.package.major) && scenarioPackageOf(row)?.isMainStream).length;
  };

  const listAlerts = () =>
    db.alert.findMany({
      where: { mirrorId: { in: [CENTOS, ALMA] } },
      select: { mirrorId: true, kind: true, major: true, status: true, details: true },
    });

  return {
    deps,
    db,
    mirrors,
    mirrorOf,
    asked,
    poll,
    evaluate,
    readVerdicts,
    expectNoJudgementWithoutAsking,
    expectTrueVerdicts,
    countCarried,
    listAlerts,
  };
}

describe(`first sync race: a mirror polled before, during and after the upstream's first sync (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let fixture: ReturnType<typeof createRaceFixture>;
  /** A package git.centos.org never imported (after its cut-off), old enough to be missing: its repository fails. */
  let victim: string;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: INSTALLED_AT, startDate: START_DATE, extraMirrors: [ALMA] });
    fixture = createRaceFixture(harness);
    const now = harness.clock.now().getTime();
    const carriedSinceStart = harness.simulator.timeline.packages.filter(
      (pkg) => pkg.isMainStream && pkg.releasedAt.getTime() >= Date.parse(START_DATE),
    );
    const isMissing = (pkg: ScenarioPackageRelease) => pkg.importAt === null && now - pkg.releasedAt.getTime() > 8 * 24 * HOUR_MS;
    // A name all of whose carried packages are missing: the failing repository hides nothing published.
    victim = carriedSinceStart.find((pkg) => carriedSinceStart.filter((other) => other.name === pkg.name).every(isMissing))!.name;
    expect(victim).toBeDefined();
  }, SLOW_TEST_MS);
  afterAll(async () => {
    harness?.simulator.setFault("git", null);
    await harness?.close();
  });

  it("(a) before the first sync: the polls ask about nothing, and nothing is judged", async () => {
    const { deps, mirrors, poll, evaluate, db, listAlerts } = fixture;
    for (const mirror of mirrors) expect((await poll(mirror)).report.outcome).toBe("success");
    await evaluate();
    expect(await db.package.count()).toBe(0);
    expect(await db.verdict.count()).toBe(0);
    expect(await listAlerts()).toEqual([]);
    // The listing was read whole (it counts as asked from then on); the forge had no name to ask about.
    expect(await db.sourceState.findUnique({ where: { sourceId: ALMA }, select: { lastCheckedAllAt: true } })).toEqual({
      lastCheckedAllAt: deps.now(),
    });
    expect(await db.mirrorNameCheck.count()).toBe(0);
  });

  it(
    "(b) during it: neither the polls before it nor those that start before its commit judge what it brings, even if they end after",
    async () => {
      const { deps, mirrors, poll, evaluate, db, listAlerts, expectNoJudgementWithoutAsking, countCarried } = fixture;
      harness.clock.advance(MINUTE_MS);
      const upstreamGate = createGate();
      const upstream = pollUpstream(holdHttpAt(deps, upstreamGate), harness.config.upstreams[0]);
      await upstreamGate.reached; // its PollRun is open, its first request (changes.csv) waits

      harness.clock.advance(MINUTE_MS);
      const mirrorGates = mirrors.map(() => createGate());
      const mirrorStartedAt = deps.now();
      const mirrorPolls = mirrors.map((mirror, index) => poll(mirror, holdHttpAt(deps, mirrorGates[index])));
      // Both have started (PollRun; the forge has read its open names: none yet); their first requests wait.
      await Promise.all(mirrorGates.map((gate) => gate.reached));

      harness.clock.advance(MINUTE_MS);
      upstreamGate.open();
      const upstreamResult = await upstream;
      expect(upstreamResult.report.outcome).toBe("success");
      expect(upstreamResult.advisoriesWritten).toBeGreaterThan(50);
      const recordedAt = (await db.package.findFirstOrThrow({ select: { recordedAt: true } })).recordedAt!;
      expect(recordedAt.getTime()).toBeGreaterThan(mirrorStartedAt.getTime());

      // The issue's case: verdicts evaluated right after the first sync, when the only finished polls of the mirrors are
      // the ones of (a), before it (the demo's "0 published, 62–64 missing" on git.centos.org RHEL 8).
      // AlmaLinux's listing of (a) is kept as evidence: what it had then is published, the rest is not checked.
      await evaluate();
      const afterCommit: Record<string, Record<string, number>> = {};
      for (const mirror of mirrors)
        afterCommit[mirror.id] = countBy(await fixture.readVerdicts(mirror.id), (row) => `${row.status}/${row.statusReason}`);
      console.log(`right after the first sync, polled only before it: ${JSON.stringify(afterCommit)}`);
      expect(afterCommit[CENTOS]).toEqual({
        "not_applicable/not_carried": expect.any(Number),
        "unknown/not_checked": await countCarried(CENTOS),
      });
      expect(afterCommit[ALMA]).toEqual({
        "not_applicable/not_carried": expect.any(Number),
        "unknown/not_checked": expect.any(Number),
        "published/null": expect.any(Number),
      });
      await expectNoJudgementWithoutAsking();
      expect(await listAlerts()).toEqual([]);

      // The mirror polls go on after the commit: AlmaLinux's listing is read now, after the packages were recorded.
      harness.clock.advance(MINUTE_MS);
      for (const gate of mirrorGates) gate.open();
      for (const result of await Promise.all(mirrorPolls)) expect(result.report.outcome).toBe("success");
      await evaluate();

      for (const mirror of mirrors) {
        const verdicts = await fixture.readVerdicts(mirror.id);
        console.log(
          `${mirror.id} polled during the first sync: ${JSON.stringify(countBy(verdicts, (row) => `${row.status}/${row.statusReason}`))}`,
        );
        expect(await countCarried(mirror.id)).toBeGreaterThanOrEqual(30);
        expect(
          verdicts.filter((row) => ABSENT.includes(row.status as VerdictStatus)).map((row) => `${row.status} ${row.package.name}`),
        ).toEqual([]);
      }
      // git.centos.org was asked about no name; AlmaLinux's listing, read after the commit, shows what it has (evidence is
      // evidence) but the rest of it is not checked: the poll started before the packages were recorded.
      expect(await db.verdict.count({ where: { mirrorId: CENTOS, status: "unknown", statusReason: "not_checked" } })).toBe(
        await countCarried(CENTOS),
      );
      expect(await db.verdict.count({ where: { mirrorId: ALMA, status: "unknown", statusReason: "not_checked" } })).toBeGreaterThan(0);
      await expectNoJudgementWithoutAsking();
      expect(await listAlerts()).toEqual([]);
    },
    SLOW_TEST_MS,
  );

  it(
    "(c) after it: the next polls ask, and the verdicts are the scenario's; a repository that fails stays not checked",
    async () => {
      const { mirrors, poll, evaluate, db, listAlerts, expectNoJudgementWithoutAsking, expectTrueVerdicts } = fixture;
      harness.clock.advance(30 * MINUTE_MS);
      harness.simulator.setFault("git", { mode: "http-500", pathIncludes: `/rpms/${victim}.git/` });
      try {
        const results = await Promise.all(mirrors.map((mirror) => poll(mirror)));
        expect(results.map((result) => result.report.outcome)).toEqual(["partial", "success"]);
        expect(results[0].report.errorMessage).toContain(victim);
      } finally {
        harness.simulator.setFault("git", null);
      }
      await evaluate();

      const centosCounts = await expectTrueVerdicts(CENTOS, [victim]);
      const almaCounts = await expectTrueVerdicts(ALMA);
      console.log(
        `after the first sync: ${CENTOS} ${JSON.stringify(centosCounts)}; ${ALMA} ${JSON.stringify(almaCounts)}; ${victim} failing`,
      );
      // The scenario has all of them on git.centos.org two weeks after its cut-off.
      expect(centosCounts).toMatchObject({ published: expect.any(Number), missing: expect.any(Number), delayed: expect.any(Number) });
      expect(almaCounts).toMatchObject({ published: expect.any(Number) });
      const victimVerdicts = (await fixture.readVerdicts(CENTOS)).filter(
        (row) => row.package.name === victim && row.statusReason !== "not_carried",
      );
      expect(victimVerdicts.length).toBeGreaterThan(0);
      for (const row of victimVerdicts) expect([row.status, row.statusReason]).toEqual(["unknown", "not_checked"]);
      expect(await db.mirrorNameCheck.findMany({ where: { mirrorId: CENTOS, name: victim } })).toEqual([]);
      await expectNoJudgementWithoutAsking();

      // Alerts now tell what the polls found, and never call the package whose repository could not be read missing or
      // delayed: no per-update alert names it, and an alert that lists it (a stop's updates since) says unknown.
      const alerts = await listAlerts();
      console.log(`alerts: ${alerts.map((alert) => `${alert.status} ${alert.kind} ${alert.mirrorId} ${alert.major}`).join(", ")}`);
      expect(
        alerts.some((alert) => alert.mirrorId === CENTOS && (alert.kind === "update_missing" || alert.kind === "publishing_stopped")),
      ).toBe(true);
      for (const alert of alerts) {
        const listed = (JSON.parse(alert.details) as AlertDetails).items
          .flatMap((item) => item.packages)
          .filter((pkg) => pkg.name === victim);
        if (alert.kind === "update_missing" || alert.kind === "update_delayed")
          expect({ kind: alert.kind, listed }).toEqual({ kind: alert.kind, listed: [] });
        for (const pkg of listed)
          expect({ kind: alert.kind, nevra: pkg.nevra, status: pkg.status }).toEqual({
            kind: alert.kind,
            nevra: pkg.nevra,
            status: "unknown",
          });
      }
    },
    SLOW_TEST_MS,
  );

  it(
    "(d) once the repository answers again, its package is judged: missing, as the scenario says",
    async () => {
      const { poll, evaluate, expectNoJudgementWithoutAsking, expectTrueVerdicts, mirrorOf } = fixture;
      harness.clock.advance(30 * MINUTE_MS);
      expect((await poll(mirrorOf(CENTOS))).report.outcome).toBe("success");
      await evaluate();
      await expectTrueVerdicts(CENTOS);
      const victimVerdicts = (await fixture.readVerdicts(CENTOS)).filter(
        (row) => row.package.name === victim && row.statusReason !== "not_carried",
      );
      expect(victimVerdicts.length).toBeGreaterThan(0);
      for (const row of victimVerdicts) expect(row.status).toBe("missing");
      await expectNoJudgementWithoutAsking();
    },
    SLOW_TEST_MS,
  );
});

describe(`first sync race: mirror polls between the upstream's recorded time and its commit (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let fixture: ReturnType<typeof createRaceFixture>;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: INSTALLED_AT, startDate: START_DATE, extraMirrors: [ALMA] });
    fixture = createRaceFixture(harness);
  }, SLOW_TEST_MS);
  afterAll(async () => harness?.close());

  it(
    "judges nothing the forge was not asked about; the listing, read whole after the recorded time, is judged truly",
    async () => {
      const { deps, mirrors, poll, evaluate, db, listAlerts, expectNoJudgementWithoutAsking, expectTrueVerdicts } = fixture;
      const gate = createGate();
      const upstream = pollUpstream(holdTransactionsAt(deps, gate), harness.config.upstreams[0]);
      await gate.reached; // everything fetched, recordedAt read; the transaction waits

      harness.clock.advance(MINUTE_MS);
      for (const result of await Promise.all(mirrors.map((mirror) => poll(mirror)))) expect(result.report.outcome).toBe("success");
      expect(await db.package.count()).toBe(0);
      harness.clock.advance(MINUTE_MS);
      gate.open();
      expect((await upstream).report.outcome).toBe("success");
      await evaluate();

      const centos = await fixture.readVerdicts(CENTOS);
      expect(centos.length).toBeGreaterThanOrEqual(30);
      expect(
        centos.filter((row) => ABSENT.includes(row.status as VerdictStatus)).map((row) => `${row.status} ${row.package.name}`),
      ).toEqual([]);
      expect(await db.mirrorNameCheck.count()).toBe(0);
      // AlmaLinux's whole listing was read after the time the packages were recorded with: it was asked about all of them.
      const almaCounts = await expectTrueVerdicts(ALMA);
      console.log(`${ALMA} polled between the upstream's recorded time and its commit: ${JSON.stringify(almaCounts)}`);
      await expectNoJudgementWithoutAsking();
      expect((await listAlerts()).filter((alert) => alert.mirrorId === CENTOS)).toEqual([]);
    },
    SLOW_TEST_MS,
  );
});

describe(`a later sync's race: a name asked for one major, a package of another major recorded meanwhile (${testDatabaseProvider()})`, () => {
  /** git.centos.org carries grafana for RHEL 8 and 9; from 2023-06-10 only a RHEL 9 grafana update is open. */
  const BACKFILLED = { advisoryId: "RHSA-2023:2784", name: "grafana", major: 8 };
  let harness: WorkerHarness;
  let fixture: ReturnType<typeof createRaceFixture>;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-07-25T00:00:00Z", startDate: "2023-06-10", extraMirrors: [ALMA] });
    fixture = createRaceFixture(harness);
    const { deps, poll, evaluate, mirrorOf } = fixture;
    await pollUpstream(deps, harness.config.upstreams[0]);
    harness.clock.advance(MINUTE_MS);
    await poll(mirrorOf(CENTOS));
    await evaluate();
  }, SLOW_TEST_MS);
  afterAll(async () => harness?.close());

  // A forge poll lists a name's tags only for the majors open at its start (sources/git-forge/list-forge-builds.ts
  // buildTagPatterns: refs/tags/imports/c<major>/<name>-), so MirrorNameCheck is kept per name × major: the poll that
  // lists grafana's c9 tags does not make the RHEL 8 grafana package recorded just before its start "checked" — else it
  // would read "missing" (and fire update_missing) though git.centos.org has had imports/c8/grafana-7.5.15-4.el8 since May.
  it(
    "never judges a package of a major the poll did not list the tags of",
    async () => {
      const { deps, poll, evaluate, db, mirrorOf, expectNoJudgementWithoutAsking } = fixture;
      const scenario = harness.simulator.timeline.packages.find(
        (pkg) => pkg.advisoryId === BACKFILLED.advisoryId && pkg.name === BACKFILLED.name && pkg.major === BACKFILLED.major,
      )!;
      expect(scenario.importAt!.getTime()).toBeLessThan(harness.clock.now().getTime()); // git.centos.org has it
      const open = await db.verdict.findMany({
        where: { mirrorId: CENTOS, package: { name: BACKFILLED.name }, status: { notIn: ["published", "not_applicable"] } },
        select: { package: { select: { major: true } } },
      });
      expect(new Set(open.map((row) => row.package.major))).toEqual(new Set([9]));

      // A second feed reaches further back (or a document failed before and is retried): the old RHEL 8 grafana update
      // arrives. Its poll reads its time, then writes; a git.centos.org poll starts in between and lists grafana's c9 tags.
      harness.clock.advance(30 * MINUTE_MS);
      const gate = createGate();
      const backfill = pollUpstream(holdTransactionsAt(deps, gate), {
        ...harness.config.upstreams[0],
        id: "redhat-csaf-backfill",
        startDate: "2023-05-16",
      });
      await gate.reached;
      harness.clock.advance(MINUTE_MS);
      expect((await poll(mirrorOf(CENTOS))).report.outcome).toBe("success");
      gate.open();
      expect((await backfill).report.outcome).toBe("success");
      await evaluate();

      const verdict = await db.verdict.findFirstOrThrow({
        where: { mirrorId: CENTOS, package: { advisoryId: BACKFILLED.advisoryId, name: BACKFILLED.name, major: BACKFILLED.major } },
        select: { status: true, statusReason: true },
      });
      const alerts = (await fixture.listAlerts()).filter(
        (alert) => alert.mirrorId === CENTOS && alert.details.includes(`"advisoryId":"${BACKFILLED.advisoryId}"`),
      );
      console.log(
        `${BACKFILLED.advisoryId} ${BACKFILLED.name} RHEL ${BACKFILLED.major} on ${CENTOS} (imported ${scenario.importAt!.toISOString()}): ${verdict.status}/${verdict.statusReason}; ` +
          `in alerts: ${alerts.map((alert) => `${alert.status} ${alert.kind} ${alert.major}`).join(", ") || "none"}`,
      );
      // Not asked about (its c8 tags were not listed): not checked. Never missing: git.centos.org has had it since May.
      expect(verdict).toEqual({ status: "unknown", statusReason: "not_checked" });
      await expectNoJudgementWithoutAsking();
    },
    SLOW_TEST_MS,
  );

  it(
    "the next poll lists both majors' tags: published",
    async () => {
      const { poll, evaluate, db, mirrorOf } = fixture;
      harness.clock.advance(30 * MINUTE_MS);
      expect((await poll(mirrorOf(CENTOS))).report.outcome).toBe("success");
      await evaluate();
      const verdict = await db.verdict.findFirstOrThrow({
        where: { mirrorId: CENTOS, package: { advisoryId: BACKFILLED.advisoryId, name: BACKFILLED.name, major: BACKFILLED.major } },
        select: { status: true },
      });
      expect(verdict.status).toBe("published");
    },
    SLOW_TEST_MS,
  );
});
