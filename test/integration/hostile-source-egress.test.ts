import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as listMirrorsRoute } from "../../app/api/v1/mirrors/route";
import { GET as listPollRunsRoute } from "../../app/api/v1/poll-runs/route";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

const SECRET = "aws-secret-key-7Hq2vXw9";
const API = "http://srcwatch.test/api/v1";

/** An "internal" service on loopback (an admin API, a metadata stand-in): what a hostile redirect aims at. */
async function startInternalService() {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests++;
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(`"2023/rhsa-2023_3595.json","${SECRET}"\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(`a hostile source cannot make the worker reach elsewhere nor show what it read (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let internal: Awaited<ReturnType<typeof startInternalService>>;

  const latestRun = (sourceId: string) => harness.database.db.pollRun.findFirstOrThrow({ where: { sourceId }, orderBy: { id: "desc" } });

  /** Everything a visitor can read about polls, and everything stored about them. */
  async function readEverythingPublicAndStored(): Promise<string> {
    const runs = await (await listPollRunsRoute(new Request(`${API}/poll-runs?limit=100`))).text();
    const mirrors = await (await listMirrorsRoute(new Request(`${API}/mirrors`))).text();
    const stored = JSON.stringify([await harness.database.db.pollRun.findMany(), await harness.database.db.sourceState.findMany()]);
    return [runs, mirrors, stored].join("\n");
  }

  beforeAll(async () => {
    internal = await startInternalService();
    harness = await startWorkerHarness({
      start: "2023-06-01T00:00:00Z",
      startDate: "2023-05-20",
      configuredMirrors: [
        {
          id: "intranet-srpms",
          kind: "srpm-index",
          name: "An SRPM index on a private address",
          majors: [8, 9],
          indexUrlTemplate: "{simulator}/oracle/ol{major}/SRPMS-updates/",
          egress: { allowPrivateNetwork: false },
        },
      ],
    });
    setDbForTests(harness.database.db);
    setConfigForTests(harness.config);
    await pollUpstream(harness.deps, harness.config.upstreams[0]);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await harness?.close();
    await internal?.close();
  });
  beforeEach(() => {
    harness.simulator.setFault("csaf", null);
    harness.simulator.setFault("git", null);
    const next = harness.simulator.timeline.releases.find((release) => release.releasedAt > harness.clock.now());
    if (!next) throw new Error("the scenario has no release left");
    harness.clock.set(new Date(next.releasedAt.getTime() + 60_000));
  });

  it("refuses the feed's redirect to a loopback service, sends it nothing and shows none of its answer", async () => {
    harness.simulator.setFault("csaf", { mode: "redirect", location: `${internal.url}/admin/keys`, pathIncludes: "changes.csv" });

    await runPollCycle(harness.deps);

    const run = await latestRun("redhat-csaf");
    expect(run).toMatchObject({ outcome: "failed", errorKind: "forbidden_destination" });
    expect(run.errorMessage).toMatch(/^redirect refused: 127\.0\.0\.1:\d+ is not one of this source's hosts/);
    expect(internal.requests()).toBe(0);
    expect(await latestRun("git.centos.org")).toMatchObject({ outcome: "success" });
    expect(await readEverythingPublicAndStored()).not.toContain(SECRET);
  });

  it.each([
    ["the cloud metadata address", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"],
    ["a file: URL", "file:///etc/passwd"],
    ["an ftp: URL", "ftp://127.0.0.1/pub/"],
    ["another host", "https://collector.attacker.example/changes.csv"],
  ])("refuses the feed's redirect to %s", async (_what, location) => {
    harness.simulator.setFault("csaf", { mode: "redirect", location, status: 301, pathIncludes: "changes.csv" });

    const { report } = await pollUpstream(harness.deps, harness.config.upstreams[0]);

    expect(report).toMatchObject({ outcome: "failed", errorKind: "forbidden_destination" });
    expect(report.errorMessage).toMatch(/^redirect refused: /);
    expect(report.stats.requests).toBe(1);
  });

  it("refuses a git forge's redirect to the metadata address for every package, and polls again once it stops", async () => {
    const mirror = harness.config.mirrors.find((candidate) => candidate.id === "git.centos.org")!;
    await pollUpstream(harness.deps, harness.config.upstreams[0]);
    harness.simulator.setFault("git", { mode: "redirect", location: "http://169.254.169.254/latest/meta-data/" });

    const hostile = await pollMirror(harness.deps, mirror);
    harness.simulator.setFault("git", null);
    const healed = await pollMirror(harness.deps, mirror);

    expect(hostile.report.stats.requests).toBeGreaterThan(0);
    expect(["partial", "failed"]).toContain(hostile.report.outcome);
    expect(hostile.report.errorKind).toBe("forbidden_destination");
    expect(hostile.report.errorMessage).toMatch(/169\.254\.169\.254 is not one of this source's hosts/);
    expect(healed.report.outcome).toBe("success");
  });

  it("refuses a source on a private address unless its operator allows private networks", async () => {
    const mirror = harness.config.mirrors.find((candidate) => candidate.id === "intranet-srpms")!;
    const requestsBefore = harness.simulator.stats().requests.oracle ?? 0;

    const { report } = await pollMirror(harness.deps, mirror);

    expect(report).toMatchObject({ outcome: "failed", errorKind: "forbidden_destination" });
    expect(report.errorMessage).toMatch(/127\.0\.0\.1:\d+ is not a public address/);
    expect(harness.simulator.stats().requests.oracle ?? 0).toBe(requestsBefore);
  });

  it("names the line of a bad index row without quoting the secret it carries", async () => {
    const row = '"2023/rhsa-2023_3595.json","2023-06-15T00:00:00+00:00"';
    harness.simulator.setFault("csaf", {
      mode: "body",
      body: `${row}\n${SECRET} ${"x".repeat(40)}\n${row}\n`,
      contentType: "text/csv",
      pathIncludes: "changes.csv",
    });

    const { report } = await pollUpstream(harness.deps, harness.config.upstreams[0]);

    expect(report).toMatchObject({ outcome: "failed", errorKind: "parse" });
    expect(report.errorMessage).toMatch(/^line 2 \(64 characters\) is not a CSAF index row/);
    expect(await readEverythingPublicAndStored()).not.toContain(SECRET);
  });

  it("describes an advisory that is not JSON by position, never by its text", async () => {
    harness.simulator.setFault("csaf", {
      mode: "body",
      body: `{"document": ${SECRET}}`,
      contentType: "application/json",
      pathIncludes: "/20",
    });

    const { report } = await pollUpstream(harness.deps, harness.config.upstreams[0]);

    expect(report).toMatchObject({ outcome: "partial", errorKind: "parse" });
    expect(report.errorMessage).toMatch(/: not JSON: syntax error (at character 13 of|in) 37 characters/);
    expect(await readEverythingPublicAndStored()).not.toContain(SECRET);
  });
});
