import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { parseUpdateinfo, parseUpdateinfoDate } from "./parse-updateinfo";

const apolloUpdateinfo = readFileSync(samplePath("yum", "rocky", "updateinfo.apollo-generated.rocky8.xml"));
const rockyUpdateinfo = readFileSync(samplePath("yum", "rocky", "updateinfo.9-BaseOS.FIXTURE.xml"));
const almaUpdateinfo = readFileSync(samplePath("yum", "almalinux", "updateinfo.9-AppStream.FIXTURE.xml"));

async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function parseOk(input: Parameters<typeof parseUpdateinfo>[0]) {
  const result = await parseUpdateinfo(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.updates;
}

describe("parseUpdateinfo", () => {
  it("reads issued and updated written as element text (Rocky's Apollo, real file)", async () => {
    const updates = await parseOk(apolloUpdateinfo);
    expect(updates.map((update) => update.id)).toEqual(["RLSA-2022:1821", "RLSA-2022:7593"]);
    expect(updates[0]).toMatchObject({
      type: "security",
      status: "final",
      from: "releng@rockylinux.org",
      title: "Moderate: python27:2.7 security update",
      severity: "Moderate",
      issuedAt: new Date("2022-05-10T08:02:50Z"),
      updatedAt: new Date("2023-02-02T13:41:28Z"),
      packages: [],
    });
    expect(updates[0].references.filter((reference) => reference.type === "cve").map((reference) => reference.id)).toEqual([
      "CVE-2021-3733",
      "CVE-2021-3737",
      "CVE-2021-4189",
      "CVE-2021-43818",
      "CVE-2022-0391",
    ]);
    expect(updates[0].references.find((reference) => reference.type === "self")?.href).toBe("https://errata.rockylinux.org/RLSA-2022:1821");
  });

  it("reads issued and updated written as a date attribute, with the source RPM of each package", async () => {
    const updates = await parseOk(rockyUpdateinfo);
    expect(updates[0]).toMatchObject({
      id: "RLSA-2022:7513",
      issuedAt: new Date("2022-11-08T09:19:42Z"),
      updatedAt: new Date("2023-02-02T12:53:50Z"),
    });
    expect(updates[0].packages).toEqual([
      {
        name: "xz",
        epoch: 0,
        version: "5.2.5",
        release: "8.el9_0",
        arch: "x86_64",
        sourceRpm: "xz-5.2.5-8.el9_0.src.rpm",
        moduleStream: null,
      },
    ]);
    expect(updates[1]).toMatchObject({ id: "RLBA-2023:0456", type: "bugfix", severity: "None" });
  });

  it("keeps a non-zero epoch and AlmaLinux's references (fixture in the real format)", async () => {
    const [update] = await parseOk(almaUpdateinfo);
    expect(update.packages[0]).toMatchObject({
      name: "nodejs",
      epoch: 1,
      version: "18.18.2",
      release: "1.el9",
      sourceRpm: "nodejs-18.18.2-1.el9.src.rpm",
    });
    expect(update.references.map((reference) => reference.type)).toEqual(["rhsa", "cve", "self"]);
    expect(update.issuedAt).toEqual(new Date("2023-11-28T00:00:00Z"));
  });

  it("gives the same result when the file arrives in small chunks", async () => {
    expect(await parseOk(inChunks(rockyUpdateinfo, 7))).toEqual(await parseOk(rockyUpdateinfo));
    expect(await parseOk(inChunks(apolloUpdateinfo, 64))).toEqual(await parseOk(apolloUpdateinfo));
  });

  it("names the module stream of a modular collection and takes an arch=src package as its own source", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="el-errata_us@oracle.com" status="final" type="security" version="1">
    <id>ELSA-2023-3822</id>
    <issued date="2023-06-27"/>
    <pkglist><collection short="el8"><name>el8</name>
      <module name="ruby" stream="2.7" version="8080020230627" context="63b34585" arch="x86_64"/>
      <package name="ruby" arch="src" epoch="0" version="2.7.8" release="139.module+el8.8.0+21006+2b0b0b7e"><filename>ruby-2.7.8-139.module+el8.8.0+21006+2b0b0b7e.src.rpm</filename></package>
    </collection></pkglist>
  </update>
</updates>`;
    const [update] = await parseOk(xml);
    expect(update.issuedAt).toEqual(new Date("2023-06-27T00:00:00Z"));
    expect(update.updatedAt).toBeNull();
    expect(update.packages[0]).toMatchObject({
      sourceRpm: "ruby-2.7.8-139.module+el8.8.0+21006+2b0b0b7e.src.rpm",
      moduleStream: "ruby:2.7",
    });
  });

  it.each([
    ["a truncated download", rockyUpdateinfo.subarray(0, Math.floor(rockyUpdateinfo.length / 2)), /truncated/],
    ["a file cut right after an update", Buffer.from(rockyUpdateinfo.toString("utf8").split("</update>")[0] + "</update>"), /truncated/],
    [
      "an HTML page",
      Buffer.from("<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body>down</body></html>"),
      /HTML page/,
    ],
    ["JSON", Buffer.from('{"updates": []}'), /not XML/],
    ["an update without id", Buffer.from('<updates><update type="security"><title>x</title></update></updates>'), /id/],
    [
      "an unreadable date",
      Buffer.from('<updates><update type="security"><id>X-1</id><issued date="last tuesday"/></update></updates>'),
      /unreadable issued date/,
    ],
    ["an empty body", Buffer.alloc(0), /empty/],
  ])("rejects %s as a parse error, without a partial result", async (_case, bytes, message) => {
    const result = await parseUpdateinfo(bytes);
    expect(result).toEqual({ ok: false, error: { kind: "parse", message: expect.stringMatching(message) } });
  });
});

describe("parseUpdateinfoDate", () => {
  it.each([
    ["2023-11-28 00:00:00", "2023-11-28T00:00:00.000Z"],
    ["2022-05-10 08:02:50", "2022-05-10T08:02:50.000Z"],
    ["2023-06-20", "2023-06-20T00:00:00.000Z"],
    ["2023-06-20T14:03:11Z", "2023-06-20T14:03:11.000Z"],
    ["2023-06-20 14:03:11 +0200", "2023-06-20T12:03:11.000Z"],
    ["1700000000", "2023-11-14T22:13:20.000Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseUpdateinfoDate(text)?.toISOString()).toBe(iso);
  });

  it("returns null for text that is no date", () => {
    expect(parseUpdateinfoDate("2023-13-45 99:99")).toBeNull();
    expect(parseUpdateinfoDate("soon")).toBeNull();
  });
});
