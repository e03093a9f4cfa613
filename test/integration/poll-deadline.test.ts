import { createHash } from "node:crypto";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MirrorConfig } from "../../core/config";
import { parseConfig } from "../../server/config/load-config";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import type { HttpClient, HttpResult } from "../../sources/http/types";
import type { MirrorPollResult } from "../../sources/source-contracts";
import { yumRepoSource } from "../../sources/yum-repo/yum-repo-source";
import { compressFixture, renderPrimaryXml } from "../../sources/yum-repo/test-support/render-repo-metadata";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { startPollDeadline } from "../../worker/start-poll-deadline";
import type { WorkerDeps } from "../../worker/worker-deps";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

const ROOT = "https://yum.example.org/el8/";
const NOW = new Date("2023-06-20T00:00:00Z");

/** An HTTP client that answers only when the test says so and ignores the poll's signal: the worst-behaved source. */
function createStalledHttpClient() {
  const waiting: Array<{ url: string; answer: (result: HttpResult) => void }> = [];
  let onRequest: () => void = () => undefined;
  const client: HttpClient = {
    stats: { requests: 0, notModified: 0, bytes: 0, retries: 0 },
    get(url) {
      client.stats.requests++;
      return new Promise<HttpResult>((resolve) => {
        waiting.push({ url, answer: resolve });
        onRequest();
      });
    },
    request: () => new Promise(() => undefined),
    stream: () => new Promise(() => undefined),
  };
  const nextRequest = async () => {
    while (waiting.length === 0) await new Promise<void>((resolve) => (onRequest = resolve));
    return waiting.shift()!;
  };
  return { client, nextRequest };
}

const answer = (url: string, body: Buffer): HttpResult => ({
  ok: true,
  url,
  status: 200,
  body,
  etag: null,
  lastModified: null,
  contentType: "application/octet-stream",
});

describe(`the per-poll deadline (${testDatabaseProvider()})`, () => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await database?.drop();
    database = undefined;
  });

  it("settles with the work's value before the deadline, and with a timeout after it even when the work never ends", async () => {
    const quick = startPollDeadline(60);
    expect(await quick.race(Promise.resolve(42))).toEqual({ isTimedOut: false, value: 42 });
    quick.clear();
    expect(quick.signal.aborted).toBe(false);

    const stuck = startPollDeadline(1);
    expect(await stuck.race(new Promise(() => undefined))).toEqual({ isTimedOut: true });
    expect(stuck.signal.aborted).toBe(true);
  });

  it("records a mirror poll that outlives pollTimeoutSeconds as a timeout and writes nothing of its late result", async () => {
    database = await createTestDatabase();
    const config = parseConfig(
      {
        upstreams: [
          {
            id: "redhat-csaf",
            kind: "csaf",
            name: "Red Hat CSAF",
            baseUrl: "https://security.example.org/csaf/",
            startDate: "2023-06-01",
            majors: [8],
          },
        ],
        mirrors: [
          {
            id: "slow-yum",
            kind: "yum-repo",
            name: "A yum mirror that stalls",
            majors: [8],
            repoUrlTemplates: ["https://yum.example.org/el{major}/"],
            pollTimeoutSeconds: 1,
          },
        ],
      },
      "deadline test",
    );
    await syncConfiguredMirrors(database.db, config);
    const stalled = createStalledHttpClient();
    const signals: Array<AbortSignal | undefined> = [];
    const deps: WorkerDeps = {
      db: database.db,
      config,
      now: () => NOW,
      logger: pino({ level: "silent" }),
      createHttpClient: (_source, options) => {
        signals.push(options?.signal);
        return stalled.client;
      },
      mailer: null,
    };
    const originalPoll = yumRepoSource.poll.bind(yumRepoSource);
    let abandoned: Promise<MirrorPollResult> | undefined;
    // As a source that ignores the signal would: it goes on to the end after the deadline.
    vi.spyOn(yumRepoSource, "poll").mockImplementation((input) => (abandoned = originalPoll({ ...input, signal: undefined })));

    const { report } = await pollMirror(deps, config.mirrors[0] as MirrorConfig);

    expect(report).toMatchObject({
      outcome: "failed",
      errorKind: "timeout",
      errorMessage: "the poll did not finish within 1 s (pollTimeoutSeconds) and was aborted",
    });
    expect(signals[0]?.aborted).toBe(true);
    // The stalled source now gets its answers and finishes with builds; none of it may reach the database.
    const repomdRequest = await stalled.nextRequest();
    const primary = compressFixture(renderPrimaryXml([{ name: "bash", arch: "src", version: "4.4.20", release: "4.el8_6" }]), "gz");
    const repomd = `<?xml version="1.0"?><repomd xmlns="http://linux.duke.edu/metadata/repo"><data type="primary"><checksum type="sha256">${createHash("sha256").update(primary).digest("hex")}</checksum><location href="repodata/primary.xml.gz"/></data></repomd>`;
    repomdRequest.answer(answer(repomdRequest.url, Buffer.from(repomd)));
    const primaryRequest = await stalled.nextRequest();
    expect(primaryRequest.url).toBe(`${ROOT}repodata/primary.xml.gz`);
    primaryRequest.answer(answer(primaryRequest.url, primary));
    const late = await abandoned!;
    expect(late.ok && late.builds.map((build) => build.ref)).toEqual([`${ROOT}#bash-4.4.20-4.el8_6.src.rpm`]);

    const runs = await database.db.pollRun.findMany({ where: { sourceId: "slow-yum" } });
    expect(runs).toMatchObject([{ outcome: "failed", errorKind: "timeout" }]);
    expect(await database.db.evidence.count({ where: { mirrorId: "slow-yum" } })).toBe(0);
    const state = await database.db.sourceState.findUnique({ where: { sourceId: "slow-yum" } });
    expect(state?.lastSuccessAt ?? null).toBeNull();
    expect(state?.syncState ?? "{}").not.toContain("primaryChecksum");
  });

  it("records an upstream poll that outlives pollTimeoutSeconds as a timeout, keeping the feed's state", async () => {
    database = await createTestDatabase();
    const config = parseConfig(
      {
        upstreams: [
          {
            id: "redhat-csaf",
            kind: "csaf",
            name: "Red Hat CSAF",
            baseUrl: "https://security.example.org/csaf/",
            startDate: "2023-06-01",
            majors: [8],
            pollTimeoutSeconds: 1,
          },
        ],
        mirrors: [
          { id: "some-yum", kind: "yum-repo", name: "A yum mirror", majors: [8], repoUrlTemplates: ["https://yum.example.org/el{major}/"] },
        ],
      },
      "deadline test",
    );
    const stalled = createStalledHttpClient();
    const deps: WorkerDeps = {
      db: database.db,
      config,
      now: () => NOW,
      logger: pino({ level: "silent" }),
      createHttpClient: () => stalled.client,
      mailer: null,
    };

    const { report, advisoriesWritten } = await pollUpstream(deps, config.upstreams[0]);

    expect(report).toMatchObject({ outcome: "failed", errorKind: "timeout" });
    expect(advisoriesWritten).toBe(0);
    expect((await stalled.nextRequest()).url).toBe("https://security.example.org/csaf/changes.csv");
    expect(await database.db.pollRun.findMany({ where: { sourceId: "redhat-csaf" } })).toMatchObject([
      { outcome: "failed", errorKind: "timeout" },
    ]);
    expect((await database.db.sourceState.findUnique({ where: { sourceId: "redhat-csaf" } }))?.lastSuccessAt ?? null).toBeNull();
  });
});
