import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

export interface FixturePackage {
  name: string;
  arch: string;
  epoch?: number;
  version: string;
  release: string;
  /** Binary packages: the SRPM they were built from. */
  sourceRpm?: string;
  /** `<location>` as a hostile repository could write it (default: `Packages/<letter>/<file>`, no xml:base). */
  location?: { href: string; base?: string };
}

export type FixtureCompression = "gz" | "xz" | "zst" | "none";

/** primary.xml in createrepo_c's layout (the fields srcwatch reads, plus a few it must skip). */
export function renderPrimaryXml(packages: FixturePackage[]): string {
  const entries = packages.map((pkg) => {
    const fileName = `${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch}.rpm`;
    return `<package type="rpm">
  <name>${pkg.name}</name>
  <arch>${pkg.arch}</arch>
  <version epoch="${pkg.epoch ?? 0}" ver="${pkg.version}" rel="${pkg.release}"/>
  <checksum type="sha256" pkgid="YES">${createHash("sha256").update(fileName).digest("hex")}</checksum>
  <summary>${pkg.name} &amp; friends</summary>
  <description>The ${pkg.name} package.</description>
  <packager>Oracle America &lt;https://github.com/oracle/oracle-linux&gt;</packager>
  <url>https://example.org/${pkg.name}</url>
  <time file="1687269780" build="1687260000"/>
  <size package="1234" installed="5678" archive="5900"/>
  <location${pkg.location?.base ? ` xml:base="${pkg.location.base}"` : ""} href="${pkg.location?.href ?? `Packages/${pkg.name[0]}/${fileName}`}"/>
  <format>
    <rpm:license>GPLv2+</rpm:license>
    <rpm:vendor>Oracle America</rpm:vendor>
    <rpm:group>Unspecified</rpm:group>
    <rpm:buildhost>build-ol8-x86_64.oracle.com</rpm:buildhost>
    ${pkg.sourceRpm ? `<rpm:sourcerpm>${pkg.sourceRpm}</rpm:sourcerpm>` : "<rpm:sourcerpm/>"}
    <rpm:header-range start="4504" end="11797"/>
    <rpm:requires>
      <rpm:entry name="gcc"/>
      <rpm:entry name="libc.so.6(GLIBC_2.34)(64bit)" flags="GE" epoch="0" ver="2.34"/>
    </rpm:requires>
    ${pkg.arch === "src" ? "" : `<file>/usr/bin/${pkg.name}</file>`}
  </format>
</package>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${packages.length}">
${entries.join("\n")}
</metadata>
`;
}

export interface FixtureUpdate {
  id: string;
  type?: string;
  issued: string;
  updated?: string;
  severity?: string;
  cves?: string[];
  packages: Array<FixturePackage & { src?: string }>;
  module?: { name: string; stream: string };
}

export function renderUpdateinfoXml(updates: FixtureUpdate[]): string {
  const entries = updates.map(
    (update) => `  <update from="el-errata_us@oracle.com" status="final" type="${update.type ?? "security"}" version="2">
    <id>${update.id}</id>
    <title>${update.id}:  security update (${(update.severity ?? "important").toUpperCase()})</title>
    <issued date="${update.issued}"/>
    ${update.updated ? `<updated date="${update.updated}"/>` : ""}
    <severity>${update.severity ?? "Important"}</severity>
    <references>
      <reference href="https://linux.oracle.com/errata/${update.id}.html" id="${update.id}" title="${update.id}" type="self"/>
${(update.cves ?? []).map((cve) => `      <reference href="https://linux.oracle.com/cve/${cve}.html" id="${cve}" title="${cve}" type="cve"/>`).join("\n")}
    </references>
    <pkglist>
      <collection short="el">
        <name>el</name>
        ${update.module ? `<module name="${update.module.name}" stream="${update.module.stream}" version="1" context="abc" arch="x86_64"/>` : ""}
${update.packages
  .map(
    (pkg) =>
      `        <package name="${pkg.name}" arch="${pkg.arch}" epoch="${pkg.epoch ?? 0}" version="${pkg.version}" release="${pkg.release}"${pkg.src ? ` src="${pkg.src}"` : ""}><filename>${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch}.rpm</filename></package>`,
  )
  .join("\n")}
      </collection>
    </pkglist>
  </update>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n${entries.join("\n")}\n</updates>\n`;
}

/** gzip with node:zlib; xz and zstd with their command-line tools, as createrepo_c would write them. */
export function compressFixture(text: string | Buffer, compression: FixtureCompression): Buffer {
  const input = typeof text === "string" ? Buffer.from(text) : text;
  switch (compression) {
    case "none":
      return input;
    case "gz":
      return gzipSync(input);
    case "xz":
      return execFileSync("xz", ["--compress", "--stdout", "-6"], { input });
    case "zst":
      return execFileSync("zstd", ["--compress", "--stdout", "-q", "-3"], { input });
  }
}

export interface RepomdEntry {
  type: string;
  href: string;
  body: Buffer;
  openBody?: Buffer;
}

export function renderRepomdXml(revision: string, entries: RepomdEntry[]): string {
  const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
  const data = entries.map(
    (entry) => `  <data type="${entry.type}">
    <checksum type="sha256">${sha256(entry.body)}</checksum>
${entry.openBody ? `    <open-checksum type="sha256">${sha256(entry.openBody)}</open-checksum>\n` : ""}    <location href="${entry.href}"/>
    <timestamp>1687269780</timestamp>
    <size>${entry.body.length}</size>
  </data>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>${revision}</revision>
${data.join("\n")}
</repomd>
`;
}
