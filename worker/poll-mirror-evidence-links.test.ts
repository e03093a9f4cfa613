import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../server/config/load-config";
import { syncConfiguredMirrors } from "../server/mirrors/sync-configured-mirrors";
import { publishFixtureRepo } from "../sources/yum-repo/test-support/publish-fixture-repo";
import { startFileServer, type FileServer } from "../sources/yum-repo/test-support/start-file-server";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../test/support/test-database";
import { pollMirror } from "./poll-mirror";
import { createDefaultHttpClientFactory, type WorkerDeps } from "./worker-deps";

describe(`evidence links from a hostile yum repository (${testDatabaseProvider()})`, () => {
  let server: FileServer;
  let database: TestDatabase;
  const logLines: Array<{ msg: string; count?: number; first?: Array<{ item: string; url: string }> }> = [];

  beforeAll(async () => {
    server = await startFileServer();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    await server?.close();
  });

  it("keeps links on the repository's host, builds xml:base links from the configured root and drops the rest, logging them", async () => {
    const root = "/el8/SRPMS/";
    publishFixtureRepo(server, root, {
      packages: [
        { name: "bash", arch: "src", version: "4.4.20", release: "4.el8_6" },
        {
          name: "curl",
          arch: "src",
          version: "7.61.1",
          release: "30.el8_8.2",
          location: { base: "https://evil.example/mirror/", href: "Packages/c/curl-7.61.1-30.el8_8.2.src.rpm" },
        },
        {
          name: "zlib",
          arch: "src",
          version: "1.2.11",
          release: "21.el8_7",
          location: { href: "https://evil.example/zlib-1.2.11-21.el8_7.src.rpm" },
        },
        {
          name: "xz",
          arch: "src",
          version: "5.2.4",
          release: "4.el8_6",
          location: { href: "javascript:alert(document.domain)//xz-5.2.4-4.el8_6.src.rpm" },
        },
      ],
    });
    const config = parseConfig(
      {
        upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: `${server.url}/csaf/`, startDate: "2023-01-01", majors: [8] }],
        mirrors: [
          {
            id: "hostile-yum",
            kind: "yum-repo",
            name: "Hostile yum",
            majors: [8],
            repoUrlTemplates: [`${server.url}/el{major}/SRPMS/`],
            retries: 0,
            egress: { allowPrivateNetwork: true },
          },
        ],
      },
      "test config",
    );
    await syncConfiguredMirrors(database.db, config);
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
        done();
      },
    });
    const deps: WorkerDeps = {
      db: database.db,
      config,
      now: () => new Date("2023-06-20T00:00:00Z"),
      logger: pino({ level: "warn" }, logStream),
      createHttpClient: createDefaultHttpClientFactory("srcwatch-test"),
      mailer: null,
    };

    const { report } = await pollMirror(deps, config.mirrors[0]);
    expect(report.outcome).toBe("success");
    const evidence = await database.db.evidence.findMany({ where: { mirrorId: "hostile-yum" }, orderBy: { name: "asc" } });
    const rootUrl = `${server.url}${root}`;
    expect(evidence.map((row) => [row.name, row.url])).toEqual([
      ["bash", `${rootUrl}Packages/b/bash-4.4.20-4.el8_6.src.rpm`],
      ["curl", `${rootUrl}Packages/c/curl-7.61.1-30.el8_8.2.src.rpm`],
      ["xz", null],
      ["zlib", null],
    ]);
    const refused = logLines.find((line) => line.msg.startsWith("refused evidence links"));
    expect(refused?.count).toBe(2);
    expect(refused?.first?.map((entry) => entry.url).sort()).toEqual([
      "https://evil.example/zlib-1.2.11-21.el8_7.src.rpm",
      "javascript:alert(document.domain)//xz-5.2.4-4.el8_6.src.rpm",
    ]);
  });
});
