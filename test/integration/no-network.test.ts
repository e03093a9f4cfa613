import net from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../server/config/load-config";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { getSummary } from "../../server/read/get-summary";
import { listMirrors } from "../../server/read/list-mirrors";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { createDefaultHttpClientFactory } from "../../worker/worker-deps";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

/** A loopback port with nothing listening: what the real sources look like from a machine without network. */
async function findClosedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(`a first start without network (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it("shows every source as unreachable and no update as missing", async () => {
    const closed = `http://127.0.0.1:${await findClosedPort()}`;
    // The shipped config of the real sources, every host swapped for a dead one.
    const shipped = JSON.stringify(loadConfig("config/srcwatch.json")).replaceAll(/https:\/\/[a-z.]+/g, closed);
    const raw = JSON.parse(shipped) as { upstreams: Record<string, unknown>[]; mirrors: Record<string, unknown>[] };
    // The dead host is on loopback: allowed here so that the poll meets the closed port, not the egress policy.
    for (const source of [...raw.upstreams, ...raw.mirrors]) source.egress = { allowedHosts: [], allowPrivateNetwork: true };
    const config = parseConfig(raw);
    await syncConfiguredMirrors(database.db, config);
    const now = new Date();
    await runPollCycle({
      db: database.db,
      config,
      now: () => now,
      logger: pino({ level: "silent" }),
      createHttpClient: createDefaultHttpClientFactory("test"),
      mailer: null,
    });

    setDbForTests(database.db);
    setConfigForTests(config);
    const mirrors = await listMirrors({ now });
    for (const source of [...mirrors.upstreams, ...mirrors.mirrors]) {
      expect(source.health).toMatchObject({ status: "failing", lastErrorKind: "network", lastSuccessAt: null });
    }
    const summary = await getSummary({ now });
    expect(summary.rows.every((row) => row.counts.missing === 0 && row.counts.delayed === 0)).toBe(true);
    const runs = await database.db.pollRun.findMany();
    expect(runs.map((run) => [run.sourceId, run.outcome, run.errorKind])).toEqual(
      expect.arrayContaining([
        ["redhat-csaf", "failed", "network"],
        ["git.centos.org", "failed", "network"],
      ]),
    );
  });
});
