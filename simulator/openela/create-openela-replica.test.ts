import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "../scenario-clock";
import { createJune2023Timeline } from "../scenarios/june-2023";
import { serveReplica } from "../serve-replica";
import { createOpenElaReplica, listOpenElaImports, type OpenElaReplica } from "./create-openela-replica";

const execFileAsync = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };

async function lsRemote(repoUrl: string, protocolVersion: 0 | 2): Promise<string[]> {
  const { stdout } = await execFileAsync("git", ["-c", `protocol.version=${protocolVersion}`, "ls-remote", repoUrl, "refs/tags/*"], {
    env: GIT_ENV,
  });
  return stdout.split("\n").filter(Boolean);
}

describe("createOpenElaReplica", () => {
  const timeline = createJune2023Timeline();
  const clock = createManualClock(new Date("2023-07-01T00:00:00Z"));
  let dataDir: string;
  let replica: OpenElaReplica;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "srcwatch-openela-test-"));
    replica = await createOpenElaReplica({ timeline, clock, basePath: "/openela", dataDir });
    server = await serveReplica(replica);
  });
  afterAll(async () => {
    await server?.close();
    await replica?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => clock.set(new Date("2023-07-01T00:00:00Z")));

  it("imports every publication as imports/el<major>/<nvr> on branch el<major>, by OpenELA's bot", () => {
    const imports = listOpenElaImports(timeline);

    expect(imports.length).toBeGreaterThan(100);
    expect(imports.find((item) => item.tag === "imports/el9/firefox-102.13.0-2.el9_2")).toMatchObject({
      repositoryName: "firefox",
      branch: "el9",
      message: "import firefox-102.13.0-2.el9_2\n",
      tagger: expect.stringContaining("openela-mship[bot]"),
    });
  });

  it("answers 401 like GitHub for a repository that does not exist, or has no import yet", async () => {
    const missing = await fetch(`${server.url}/openela/no-such-package.git/info/refs?service=git-upload-pack`);
    const notYet = await fetch(`${server.url}/openela/firefox.git/info/refs?service=git-upload-pack`);

    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Basic");
    expect(notYet.status).toBe(401);
  });

  it("serves annotated tags over git smart HTTP (v0 and v2), and more of them as the clock advances", async () => {
    clock.set(new Date("2023-07-12T00:00:00Z"));
    const early = await lsRemote(`${server.url}/openela/firefox.git`, 2);
    clock.set(new Date("2023-10-01T00:00:00Z"));
    const late = await lsRemote(`${server.url}/openela/firefox.git`, 0);

    const tagNames = (lines: string[]) => lines.map((line) => line.split("\t")[1]).filter((ref) => !ref.endsWith("^{}"));
    expect(tagNames(early)).toContain("refs/tags/imports/el9/firefox-102.11.0-2.el9_2");
    expect(tagNames(early)).not.toContain("refs/tags/imports/el9/firefox-102.15.1-1.el9_2");
    expect(tagNames(late)).toContain("refs/tags/imports/el9/firefox-102.15.1-1.el9_2");
    expect(late.some((line) => line.endsWith("^{}"))).toBe(true);
  });

  it("dates the commit and the tag at the publication time, and shows the commit on a web page", async () => {
    clock.set(new Date("2023-10-01T00:00:00Z"));
    const publication = listOpenElaImports(timeline).find((item) => item.tag === "imports/el9/firefox-102.15.1-1.el9_2");
    const cloneDir = path.join(dataDir, "clone-firefox");
    await execFileAsync("git", ["clone", "-q", "--bare", `${server.url}/openela/firefox.git`, cloneDir], { env: GIT_ENV });
    const { stdout } = await execFileAsync(
      "git",
      [
        "--git-dir",
        cloneDir,
        "for-each-ref",
        "--format=%(taggerdate:iso-strict) %(*committerdate:iso-strict) %(*objectname)",
        "refs/tags/imports/el9/firefox-102.15.1-1.el9_2",
      ],
      { env: { ...GIT_ENV, TZ: "UTC" } },
    );
    const [taggedAt, committedAt, sha] = stdout.trim().split(" ");
    const page = await fetch(`${server.url}/openela/firefox/commit/${sha}`);

    expect(new Date(taggedAt)).toEqual(publication?.importAt);
    expect(new Date(committedAt)).toEqual(publication?.importAt);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("import firefox-102.15.1-1.el9_2");
  });

  it("leaves other paths to other replicas", async () => {
    const handled = await replica.handle({} as never, {} as never, "/rpms/bash.git/info/refs");

    expect(handled).toBe(false);
  });
});
