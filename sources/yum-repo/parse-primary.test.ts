import { describe, expect, it } from "vitest";
import { parsePrimary } from "./parse-primary";
import { renderPrimaryXml } from "./test-support/render-repo-metadata";

// No real primary.xml of a RHEL clone is in the shared samples: these are fixtures in createrepo_c's real layout.
const sourceRepoPrimary = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="2">
<package type="rpm">
  <name>bash</name>
  <arch>src</arch>
  <version epoch="0" ver="4.4.20" rel="4.el8_6"/>
  <checksum type="sha256" pkgid="YES">0c1b1d4ed4e7c5f4ef7f4b2d2ad1a54e5b1b4d3ed1e6b8a2c3d4e5f60718293a</checksum>
  <summary>The GNU Bourne Again shell</summary>
  <description>The GNU Bourne Again shell (Bash) is a shell or command language interpreter.</description>
  <packager>Oracle America &lt;https://github.com/oracle/oracle-linux&gt;</packager>
  <url>https://www.gnu.org/software/bash</url>
  <time file="1655399580" build="1655398316"/>
  <size package="9353470" installed="9346862" archive="9348220"/>
  <location href="getPackageSource/bash-4.4.20-4.el8_6.src.rpm"/>
  <format>
    <rpm:license>GPLv3+</rpm:license>
    <rpm:vendor>Oracle America</rpm:vendor>
    <rpm:group>Unspecified</rpm:group>
    <rpm:buildhost>build-ol8-x86_64.oracle.com</rpm:buildhost>
    <rpm:sourcerpm/>
    <rpm:header-range start="4504" end="11797"/>
    <rpm:requires>
      <rpm:entry name="bison"/>
      <rpm:entry name="texinfo"/>
    </rpm:requires>
  </format>
</package>
<package type="rpm">
  <name>nodejs</name>
  <arch>src</arch>
  <version epoch="1" ver="18.16.1" rel="1.module+el8.8.0+21058+a25e4a0b"/>
  <checksum type="sha256" pkgid="YES">1d1b1d4ed4e7c5f4ef7f4b2d2ad1a54e5b1b4d3ed1e6b8a2c3d4e5f60718293a</checksum>
  <summary>JavaScript runtime</summary>
  <description/>
  <packager/>
  <url>http://nodejs.org/</url>
  <time file="1688000000" build="1687990000"/>
  <size package="1" installed="1" archive="1"/>
  <location xml:base="https://oss.example.com/ol8/" href="SRPMS-updates/nodejs-18.16.1-1.module%2Bel8.8.0%2B21058%2Ba25e4a0b.src.rpm"/>
  <format>
    <rpm:license>MIT</rpm:license>
  </format>
</package>
</metadata>
`;

async function* inChunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function parseOk(input: Parameters<typeof parsePrimary>[0]) {
  const result = await parsePrimary(input);
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

describe("parsePrimary", () => {
  it("takes the NEVRA of each SRPM listed in a source repository", async () => {
    const result = await parseOk(sourceRepoPrimary);
    expect(result.packageCount).toBe(2);
    expect(result.builds).toEqual([
      {
        fileName: "bash-4.4.20-4.el8_6.src.rpm",
        name: "bash",
        epoch: 0,
        version: "4.4.20",
        release: "4.el8_6",
        isSourcePackage: true,
        href: "getPackageSource/bash-4.4.20-4.el8_6.src.rpm",
        base: null,
      },
      {
        fileName: "nodejs-18.16.1-1.module+el8.8.0+21058+a25e4a0b.src.rpm",
        name: "nodejs",
        epoch: 1,
        version: "18.16.1",
        release: "1.module+el8.8.0+21058+a25e4a0b",
        isSourcePackage: true,
        href: "SRPMS-updates/nodejs-18.16.1-1.module%2Bel8.8.0%2B21058%2Ba25e4a0b.src.rpm",
        base: "https://oss.example.com/ol8/",
      },
    ]);
  });

  it("derives each source build of a binary repository once, from rpm:sourcerpm, linking the binary named like the source", async () => {
    const xml = renderPrimaryXml([
      {
        name: "openssl-libs",
        arch: "x86_64",
        epoch: 1,
        version: "1.1.1k",
        release: "9.el8_7",
        sourceRpm: "openssl-1.1.1k-9.el8_7.src.rpm",
      },
      { name: "openssl", arch: "x86_64", epoch: 1, version: "1.1.1k", release: "9.el8_7", sourceRpm: "openssl-1.1.1k-9.el8_7.src.rpm" },
      { name: "openssl-libs", arch: "i686", epoch: 1, version: "1.1.1k", release: "9.el8_7", sourceRpm: "openssl-1.1.1k-9.el8_7.src.rpm" },
      { name: "bash", arch: "x86_64", version: "4.4.20", release: "4.el8_6", sourceRpm: "bash-4.4.20-4.el8_6.src.rpm" },
    ]);
    const result = await parseOk(xml);
    expect(result.packageCount).toBe(4);
    expect(result.builds).toEqual([
      {
        fileName: "openssl-1.1.1k-9.el8_7.src.rpm",
        name: "openssl",
        epoch: 1,
        version: "1.1.1k",
        release: "9.el8_7",
        isSourcePackage: false,
        href: "Packages/o/openssl-1.1.1k-9.el8_7.x86_64.rpm",
        base: null,
      },
      {
        fileName: "bash-4.4.20-4.el8_6.src.rpm",
        name: "bash",
        epoch: 0,
        version: "4.4.20",
        release: "4.el8_6",
        isSourcePackage: false,
        href: "Packages/b/bash-4.4.20-4.el8_6.x86_64.rpm",
        base: null,
      },
    ]);
  });

  it("leaves the epoch unknown when binaries of one source disagree, and lists source RPM names it cannot read", async () => {
    const xml = renderPrimaryXml([
      { name: "tpm-tools", arch: "x86_64", epoch: 0, version: "1.3.9", release: "7.el8", sourceRpm: "tpm-tools-1.3.9-7.el8.src.rpm" },
      {
        name: "tpm-tools-pkcs11",
        arch: "x86_64",
        epoch: 2,
        version: "1.3.9",
        release: "7.el8",
        sourceRpm: "tpm-tools-1.3.9-7.el8.src.rpm",
      },
      { name: "weird", arch: "noarch", version: "1", release: "1.el8", sourceRpm: "not-a-source-rpm" },
    ]);
    const result = await parseOk(xml);
    expect(result.builds.map((build) => [build.fileName, build.epoch])).toEqual([["tpm-tools-1.3.9-7.el8.src.rpm", null]]);
    expect(result.invalidSourceRpms).toEqual(["not-a-source-rpm"]);
  });

  it("gives the same result when the file arrives in small chunks", async () => {
    expect(await parseOk(inChunks(sourceRepoPrimary, 5))).toEqual(await parseOk(sourceRepoPrimary));
  });

  it("accepts an empty repository", async () => {
    const result = await parseOk(renderPrimaryXml([]));
    expect(result).toMatchObject({ packageCount: 0, builds: [] });
    expect((await parseOk('<metadata xmlns="http://linux.duke.edu/metadata/common" packages="0"/>')).builds).toEqual([]);
  });

  it.each([
    ["a truncated download", sourceRepoPrimary.slice(0, sourceRepoPrimary.length - 300), /truncated/],
    [
      "a file cut between two packages",
      sourceRepoPrimary.slice(0, sourceRepoPrimary.indexOf("</package>") + "</package>".length),
      /truncated.*1 <package>/,
    ],
    ["an HTML page", "<!DOCTYPE html>\n<html><body><h1>Index of /repo</h1></body></html>\n", /HTML page/],
    ["fewer packages than declared", sourceRepoPrimary.replace('packages="2"', 'packages="3"'), /declares 3 packages but lists 2/],
    ["another namespace", sourceRepoPrimary.replace("metadata/common", "metadata/other"), /namespace/],
    ["a package without version", sourceRepoPrimary.replace('<version epoch="0" ver="4.4.20" rel="4.el8_6"/>', ""), /version/],
    ["a broken package element", sourceRepoPrimary.replace("<arch>src</arch>", "<arch>src</arc>"), /not well-formed/],
  ])("rejects %s as a parse error, without a partial result", async (_case, text, message) => {
    expect(await parsePrimary(text)).toEqual({ ok: false, error: { kind: "parse", message: expect.stringMatching(message) } });
  });
});
