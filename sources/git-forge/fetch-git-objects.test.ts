import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { buildFetchRequest, readFetchResponse, type GitServer, type ObjectWant } from "./fetch-git-objects";
import { encodePktLine } from "./parse-pkt-lines";
import { readObjectTime } from "./read-object-time";
import { readPackObjects } from "./read-pack-objects";

let root: string;
let repo: string;
const oids: Record<string, string> = {};

function runGit(args: string[], options: { dateIso?: string; input?: Buffer; protocol?: string } = {}): Buffer {
  return execFileSync("git", args, {
    cwd: root,
    input: options.input,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "CentOS Sources",
      GIT_AUTHOR_EMAIL: "bugs@centos.org",
      GIT_COMMITTER_NAME: "CentOS Sources",
      GIT_COMMITTER_EMAIL: "bugs@centos.org",
      GIT_AUTHOR_DATE: options.dateIso ?? "2023-01-01T00:00:00Z",
      GIT_COMMITTER_DATE: options.dateIso ?? "2023-01-01T00:00:00Z",
      ...(options.protocol ? { GIT_PROTOCOL: options.protocol } : {}),
    },
  });
}

/** Asks the local `git upload-pack` exactly what srcwatch would ask a forge over HTTP. */
function uploadPack(request: Buffer, options: { protocol: 0 | 2; allowFilter: boolean }): Buffer {
  return runGit(["-c", `uploadpack.allowFilter=${options.allowFilter}`, "upload-pack", "--stateless-rpc", repo], {
    input: request,
    protocol: options.protocol === 2 ? "version=2" : undefined,
  });
}

const v2 = (fetchFeatures: string[]): GitServer => ({ protocol: 2, objectFormat: "object-format=sha1", fetchFeatures });
const annotated = (tag: string): ObjectWant => ({ oid: oids[tag], peeledOid: oids[`${tag}^{}`] });
const lightweight = (tag: string): ObjectWant => ({ oid: oids[tag], peeledOid: null });

function fetchObjects(server: GitServer, wants: ObjectWant[], allowFilter: boolean) {
  const request = buildFetchRequest(server, wants);
  if (!request) throw new Error("no request");
  const response = readFetchResponse(uploadPack(request, { protocol: server.protocol, allowFilter }));
  if (!response.ok) throw new Error(response.message);
  const read = readPackObjects(response.pack, { wantedOids: new Set(wants.map((want) => want.oid)) });
  if (!read.ok) throw new Error(read.message);
  return { pack: response.pack, objects: read.objects };
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "srcwatch-fetch-objects-"));
  const work = path.join(root, "work");
  mkdirSync(work);
  runGit(["init", "-q", "-b", "c8", work]);
  const imports: Array<[string, string, boolean]> = [
    ["imports/c8/bash-4.4.19-12.el8", "2022-05-10T08:00:00Z", false],
    ["imports/c8/bash-4.4.20-4.el8_6", "2023-05-16T10:30:00Z", true],
    ["imports/c8/bash-4.4.20-5.el8_8", "2023-06-13T09:15:42+02:00", true],
  ];
  for (const [tag, dateIso, isAnnotated] of imports) {
    runGit(["-C", work, "commit", "-q", "--allow-empty", "-m", `import ${tag}`], { dateIso });
    // A tagger date a week after the commit: the tag's own time, not the commit's, must be read.
    const taggedAt = new Date(Date.parse(dateIso) + 7 * 86_400_000).toISOString();
    if (isAnnotated) runGit(["-C", work, "tag", "-a", "-m", `import ${tag}`, tag], { dateIso: taggedAt });
    else runGit(["-C", work, "tag", tag]);
  }
  repo = path.join(root, "bash.git");
  runGit(["clone", "-q", "--bare", work, repo]);
  for (const line of runGit(["--git-dir", repo, "show-ref", "--dereference"]).toString().trim().split("\n")) {
    const [oid, ref] = line.split(" ");
    oids[ref.replace(/^refs\/tags\//, "")] = oid;
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("fetchGitObjects' request and answer, against the local git upload-pack", () => {
  it("reads tagger and committer dates from one protocol v2 fetch with deepen 1 and filter tree:0", () => {
    const wants = [
      annotated("imports/c8/bash-4.4.20-4.el8_6"),
      annotated("imports/c8/bash-4.4.20-5.el8_8"),
      lightweight("imports/c8/bash-4.4.19-12.el8"),
    ];

    const { objects } = fetchObjects(v2(["shallow", "wait-for-done", "filter"]), wants, true);

    expect(wants.map((want) => readObjectTime(objects.get(want.oid) ?? { type: "blob", content: Buffer.alloc(0) }))).toEqual([
      { publishedAt: new Date("2023-05-23T10:30:00Z"), publishedAtOrigin: "tagger_date" },
      { publishedAt: new Date("2023-06-20T07:15:42Z"), publishedAtOrigin: "tagger_date" },
      { publishedAt: new Date("2022-05-10T08:00:00Z"), publishedAtOrigin: "commit_date" },
    ]);
  });

  it("asks a server without filter for the tag objects alone when every want is an annotated tag", () => {
    const wants = [annotated("imports/c8/bash-4.4.20-4.el8_6"), annotated("imports/c8/bash-4.4.20-5.el8_8")];

    const request = buildFetchRequest(v2(["shallow"]), wants)?.toString("latin1") ?? "";
    const { pack, objects } = fetchObjects(v2(["shallow"]), wants, false);

    expect(request).not.toContain("filter");
    expect(request).toContain(`have ${oids["imports/c8/bash-4.4.20-4.el8_6^{}"]}`);
    expect(pack.readUInt32BE(8)).toBe(2);
    expect([...objects.values()].map((object) => object.type)).toEqual(["tag", "tag"]);
  });

  it("falls back to deepen 1 alone for a lightweight tag on a server without filter, skipping trees and blobs", () => {
    const want = lightweight("imports/c8/bash-4.4.19-12.el8");

    const { objects } = fetchObjects(v2(["shallow"]), [want], false);

    expect(readObjectTime(objects.get(want.oid) ?? { type: "blob", content: Buffer.alloc(0) })).toEqual({
      publishedAt: new Date("2022-05-10T08:00:00Z"),
      publishedAtOrigin: "commit_date",
    });
  });

  it("speaks protocol v0 (want list with capabilities, shallow lines, NAK, side-band pack)", () => {
    const wants = [annotated("imports/c8/bash-4.4.20-4.el8_6"), lightweight("imports/c8/bash-4.4.19-12.el8")];
    const server: GitServer = { protocol: 0, capabilities: ["multi_ack", "side-band-64k", "ofs-delta", "shallow", "no-progress"] };

    const { objects } = fetchObjects(server, wants, false);

    expect(objects.get(wants[0].oid)?.type).toBe("tag");
    expect(objects.get(wants[1].oid)?.type).toBe("commit");
  });

  it("does not ask a server that offers neither filter, shallow nor a way to name a have", () => {
    expect(buildFetchRequest(v2([]), [lightweight("imports/c8/bash-4.4.19-12.el8")])).toBeNull();
    expect(buildFetchRequest({ protocol: 0, capabilities: ["shallow"] }, [lightweight("imports/c8/bash-4.4.19-12.el8")])).toBeNull();
  });
});

describe("recorded bytes of openela-main/bash (git http-backend on a snapshot of the real repository)", () => {
  it("builds the same request as recorded and reads the tagger date from the recorded answer", () => {
    const sentRequest = readFileSync(samplePath("openela", "bash.fetch-v2-request.bin"));
    const wantedOid = /want ([0-9a-f]{40})/.exec(sentRequest.toString("latin1"))?.[1] ?? "";

    const request = buildFetchRequest(v2(["shallow", "filter"]), [
      { oid: wantedOid, peeledOid: "d633f3ac5443b70f4dd5db3b1ce995c116847049" },
    ]);
    const response = readFetchResponse(readFileSync(samplePath("openela", "bash.fetch-v2-response.bin")));
    const read = response.ok ? readPackObjects(response.pack, { wantedOids: new Set([wantedOid]) }) : response;

    expect(request).toEqual(sentRequest);
    const tag = read.ok ? read.objects.get(wantedOid) : undefined;
    expect(tag?.content.toString("utf8")).toBe(readFileSync(samplePath("openela", "bash.tag-object.txt"), "utf8"));
    expect(tag && readObjectTime(tag)).toEqual({ publishedAt: new Date(1704993051 * 1000), publishedAtOrigin: "tagger_date" });
  });
});

describe("readFetchResponse", () => {
  it.each([
    ["an ERR packet", Buffer.concat([encodePktLine("ERR upload-pack: not our ref"), Buffer.from("0000")])],
    ["an error on side-band 3", Buffer.concat([encodePktLine("packfile"), Buffer.from("0009\x03oops"), Buffer.from("0000")])],
    ["an answer without a packfile", Buffer.concat([encodePktLine("acknowledgments"), encodePktLine("NAK"), Buffer.from("0000")])],
    ["garbage", Buffer.from("<html>rate limited</html>")],
  ])("refuses %s", (_label, body) => {
    expect(readFetchResponse(body)).toMatchObject({ ok: false });
  });
});

describe("readPackObjects", () => {
  const packOf = (objects: Buffer[]) => {
    const header = Buffer.alloc(12);
    header.write("PACK", 0, "latin1");
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(objects.length, 8);
    return Buffer.concat([header, ...objects, Buffer.alloc(20)]);
  };
  /** Type and size header (gitformat-pack(5)) followed by the deflated content. */
  const entry = (typeCode: number, size: number, deflated: Buffer, extra: Buffer = Buffer.alloc(0)) => {
    const bytes: number[] = [];
    let rest = size >> 4;
    bytes.push((typeCode << 4) | (size & 0x0f) | (rest ? 0x80 : 0));
    while (rest) {
      const next = rest >> 7;
      bytes.push((rest & 0x7f) | (next ? 0x80 : 0));
      rest = next;
    }
    return Buffer.concat([Buffer.from(bytes), extra, deflated]);
  };
  const tagText = Buffer.from(
    "object d633f3ac5443b70f4dd5db3b1ce995c116847049\ntype commit\ntag imports/el9/bash-5.1.8-6.el9_1\ntagger bot <bot@example.org> 1704993051 +0000\n\nimport\n",
  );
  const tagOid = "9e5d5fef7b0d5d2f4e8e6b5df6a1c0e7f0b4d3a1";

  it("resolves an OFS_DELTA and a REF_DELTA against a tag of the same pack", () => {
    const hashOf = (content: Buffer) => createHashHex(`tag ${content.length}\0`, content);
    const base = entry(4, tagText.length, deflateSync(tagText));
    const changed = Buffer.from(tagText.toString("latin1").replace("1704993051", "1704993999"), "latin1");
    const delta = (target: Buffer) =>
      Buffer.concat([
        encodeSize(tagText.length),
        encodeSize(target.length),
        Buffer.from([0x90, 100]),
        Buffer.from([target.length - 100]),
        target.subarray(100),
      ]);
    const ofsDelta = entry(6, delta(changed).length, deflateSync(delta(changed)), encodeDeltaOffset(base.length));
    const refDelta = entry(7, delta(changed).length, deflateSync(delta(changed)), Buffer.from(hashOf(tagText), "hex"));
    const wanted = new Set([hashOf(changed)]);

    const viaOffset = readPackObjects(packOf([base, ofsDelta]), { wantedOids: wanted });
    const viaReference = readPackObjects(packOf([refDelta, base]), { wantedOids: wanted });

    for (const result of [viaOffset, viaReference]) {
      const object = result.ok ? result.objects.get(hashOf(changed)) : undefined;
      expect(object && readObjectTime(object)).toEqual({ publishedAt: new Date(1704993999 * 1000), publishedAtOrigin: "tagger_date" });
    }
  });

  it("resolves a chain of REF_DELTAs that each name a base later in the pack", () => {
    const hashOf = (content: Buffer) => createHashHex(`tag ${content.length}\0`, content);
    const versions = Array.from({ length: 500 }, (_, index) =>
      Buffer.from(tagText.toString("latin1").replace("1704993051", String(1704993051 + index)), "latin1"),
    );
    const delta = (target: Buffer) =>
      Buffer.concat([
        encodeSize(tagText.length),
        encodeSize(target.length),
        Buffer.from([0x90, 100]),
        Buffer.from([target.length - 100]),
        target.subarray(100),
      ]);
    const deltas = versions
      .slice(1)
      .map((target, index) => entry(7, delta(target).length, deflateSync(delta(target)), Buffer.from(hashOf(versions[index]), "hex")));
    const last = versions.at(-1) as Buffer;

    const result = readPackObjects(packOf([...deltas.reverse(), entry(4, tagText.length, deflateSync(tagText))]), {
      wantedOids: new Set([hashOf(last)]),
    });

    const object = result.ok ? result.objects.get(hashOf(last)) : undefined;
    expect(object && readObjectTime(object)).toEqual({
      publishedAt: new Date((1704993051 + 499) * 1000),
      publishedAtOrigin: "tagger_date",
    });
  });

  it("refuses an object that inflates past its declared size (a deflate bomb) without inflating it all", () => {
    const bomb = entry(3, 100, deflateSync(Buffer.alloc(50 * 1024 * 1024)));

    expect(readPackObjects(packOf([bomb]), { wantedOids: new Set([tagOid]) })).toMatchObject({
      ok: false,
      message: expect.stringContaining("byte 12"),
    });
  });

  it.each([
    ["a missing signature", Buffer.from("KCAP\0\0\0\x02\0\0\0\x01")],
    ["a pack cut short", packOf([entry(4, tagText.length, deflateSync(tagText))]).subarray(0, 30)],
    ["more objects declared than bytes", Buffer.concat([Buffer.from("PACK\0\0\0\x02"), Buffer.from([0x7f, 0xff, 0xff, 0xff])])],
  ])("refuses %s", (_label, pack) => {
    expect(readPackObjects(pack, { wantedOids: new Set([tagOid]) })).toMatchObject({ ok: false });
  });
});

function encodeSize(size: number): Buffer {
  const bytes: number[] = [];
  let rest = size;
  do {
    const next = rest >> 7;
    bytes.push((rest & 0x7f) | (next ? 0x80 : 0));
    rest = next;
  } while (rest);
  return Buffer.from(bytes);
}

/** OFS_DELTA's distance back to the base: big-endian groups of 7 bits, each continuation adding one (gitformat-pack(5)). */
function encodeDeltaOffset(distance: number): Buffer {
  let rest = distance;
  const bytes = [rest & 0x7f];
  while ((rest >>= 7)) {
    rest -= 1;
    bytes.unshift(0x80 | (rest & 0x7f));
  }
  return Buffer.from(bytes);
}

function createHashHex(header: string, content: Buffer): string {
  return createHash("sha1").update(header).update(content).digest("hex");
}
