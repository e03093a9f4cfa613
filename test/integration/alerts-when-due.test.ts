import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MirrorConfig } from "../../core/config";
import { planAlertRules } from "../../server/alerts/evaluate-alerts";
import { ALERT_RULES_MAX_GAP_MS, evaluateAlertsWhenDue } from "../../server/alerts/evaluate-alerts-when-due";
import { createSilence } from "../../server/alerts/create-silence";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { testDatabaseProvider } from "../support/test-database";
import { harnessGitCentosMirror, startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

const MINUTE_MS = 60_000;
/** The worker evaluates every minute; a coarser step keeps the replay short and still crosses every threshold. */
const STEP_MS = 20 * MINUTE_MS;
const POLL_EVERY_STEPS = 3;
const START = new Date("2023-06-12T00:00:00Z");
const END = new Date("2023-06-20T12:00:00Z");
const RESUME_AT = "2023-06-19T00:00:00Z";
const SILENCE_FROM = new Date("2023-06-15T00:00:00Z");
const SILENCE_UNTIL = new Date("2023-06-16T12:10:00Z");
const DEAD = "dead-forge";
const SLOW_TEST_MS = 600_000;

/**
 * The gate in front of the alert rules (server/alerts/evaluate-alerts-when-due.ts) must never skip a pass that would
 * have changed something: at every step of a nine-day replay — git.centos.org stopping and resuming, AlmaLinux
 * publishing on, a forge that never answers turning stale by time alone, a silence starting and ending, alerts
 * notified and reminded — the rules are also planned unconditionally, and whenever the gate skipped, the plan holds
 * no change.
 */
describe(`alert rules run only when an input or a threshold changed (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness({
      start: START.toISOString(),
      startDate: "2023-04-01",
      resumeAt: RESUME_AT,
      extraMirrors: ["almalinux-errata"],
      configuredMirrors: [
        {
          ...harnessGitCentosMirror({ url: "http://127.0.0.1:9", pagureApiUrl: "http://127.0.0.1:9/api/0" }),
          id: DEAD,
          name: "A forge that never answers",
          staleAfterMinutes: 150,
        },
      ],
    });
  }, SLOW_TEST_MS);
  afterAll(async () => harness?.close());

  it(
    "skips most passes, and every skipped pass would have changed nothing",
    async () => {
      const { deps, clock, database } = harness;
      const db = database.db;
      const upstream = harness.config.upstreams[0];
      const counts = new Map<string, { ran: number; skipped: number }>();
      const fired = new Set<string>();
      let silenced = false;
      let step = 0;

      const pollAll = async (mirrors: MirrorConfig[]) => {
        await pollUpstream(deps, upstream);
        for (const mirror of mirrors) await pollMirror(deps, mirror);
      };
      const live = harness.config.mirrors.filter((mirror) => mirror.id !== DEAD);
      // The dead forge is asked once: from then on only the clock can make it stale.
      await pollAll(harness.config.mirrors);

      for (let at = START.getTime(); at <= END.getTime(); at += STEP_MS, step++) {
        clock.set(new Date(at));
        if (step > 0 && step % POLL_EVERY_STEPS === 0) await pollAll(live);
        if (!silenced && at >= SILENCE_FROM.getTime()) {
          await createSilence(db, {
            silence: {
              matchers: { mirrorId: "git.centos.org", kind: "update_missing" },
              endsAt: SILENCE_UNTIL.toISOString(),
              author: "test",
              comment: "a silence that starts and ends during the replay",
            },
            now: clock.now(),
          });
          silenced = true;
        }
        for (const mirror of harness.config.mirrors) {
          const now = clock.now();
          await evaluateMirrorVerdicts(db, { mirror, now });
          const plan = await planAlertRules(db, { mirror, config: harness.config, now });
          const result = await evaluateAlertsWhenDue(db, { mirror, config: harness.config, now });
          const count = counts.get(mirror.id) ?? { ran: 0, skipped: 0 };
          if (result.skipped) {
            count.skipped++;
            expect(plan.changes, `${mirror.id} at ${now.toISOString()}: skipped, yet the rules would change this`).toEqual([]);
          } else {
            count.ran++;
          }
          counts.set(mirror.id, count);
          for (const change of plan.changes)
            if (change.type === "fire") fired.add(`${mirror.id} ${change.kind} ${change.major ?? ""}`.trim());
        }
      }

      console.log(`alert passes per mirror: ${JSON.stringify(Object.fromEntries(counts))}; fired: ${[...fired].join(", ")}`);
      // The replay reaches the states the gate has to get right.
      expect(fired).toContain("git.centos.org publishing_stopped 8");
      expect(fired).toContain(`${DEAD} mirror_stale`);
      const resolvedStop = await db.alert.count({ where: { mirrorId: "git.centos.org", kind: "publishing_stopped", status: "resolved" } });
      expect(resolvedStop).toBeGreaterThan(0);
      const reminders = await db.alertEvent.count({ where: { type: "reminder" } });
      expect(reminders).toBeGreaterThan(0);
      // And it skips. The dead forge, stale from its first hours on, is judged again only when the upstream brought
      // something (changeSeq), a silence began or ended, its alert's reminder came, or the safety net's gap passed.
      const steps = Math.floor((END.getTime() - START.getTime()) / STEP_MS) + 1;
      const dead = counts.get(DEAD)!;
      const deadSeq = (await db.mirrorEvaluation.findUniqueOrThrow({ where: { mirrorId: DEAD } })).changeSeq;
      const deadEvents = await db.alertEvent.count({ where: { alert: { mirrorId: DEAD } } });
      expect(dead.ran + dead.skipped).toBe(steps);
      expect(dead.ran).toBeLessThanOrEqual(
        Math.ceil((END.getTime() - START.getTime()) / ALERT_RULES_MAX_GAP_MS) + deadSeq + deadEvents + 2 + 3,
      );
      for (const [mirrorId, count] of counts) expect(count.skipped, mirrorId).toBeGreaterThan(count.ran);
    },
    SLOW_TEST_MS,
  );
});
