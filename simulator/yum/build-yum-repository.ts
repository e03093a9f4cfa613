import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { escapeHtml } from "../http-responses";
import { encodeXzStored } from "./encode-xz-stored";

export interface YumRepositoryPackage {
  name: string;
  epoch: number;
  version: string;
  release: string;
  /** e.g. `openssl-1.1.1k-9.0.1.el8_7.src.rpm` */
  fileName: string;
}

export interface YumRepositoryUpdate {
  id: string;
  type: "security" | "bugfix" | "enhancement";
  severity: string;
  title: string;
  issuedAt: Date;
  updatedAt: Date;
  cves: string[];
  packages: YumRepositoryPackage[];
}

export interface YumRepositoryFile {
  /** Relative to the repository root, e.g. `repodata/<sha256>-primary.xml.gz`. */
  href: string;
  body: Buffer;
}

export interface YumRepository {
  repomd: Buffer;
  dataFiles: YumRepositoryFile[];
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** `2023-06-20 14:03:11`, the way dnf's updateinfo writes dates (UTC). */
export function formatUpdateinfoDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

function renderPrimary(packages: YumRepositoryPackage[], builtAt: Date): string {
  const seconds = Math.floor(builtAt.getTime() / 1000);
  const entries = packages.map(
    (pkg) => `<package type="rpm">
  <name>${escapeHtml(pkg.name)}</name>
  <arch>src</arch>
  <version epoch="${pkg.epoch}" ver="${escapeHtml(pkg.version)}" rel="${escapeHtml(pkg.release)}"/>
  <checksum type="sha256" pkgid="YES">${sha256(Buffer.from(pkg.fileName))}</checksum>
  <summary>${escapeHtml(pkg.name)}</summary>
  <description>${escapeHtml(pkg.name)} source package (simulated)</description>
  <packager>Oracle America &lt;https://github.com/oracle/oracle-linux&gt;</packager>
  <url/>
  <time file="${seconds}" build="${seconds}"/>
  <size package="0" installed="0" archive="0"/>
  <location href="Packages/${escapeHtml(pkg.fileName)}"/>
  <format>
    <rpm:license>Unknown</rpm:license>
    <rpm:vendor>Oracle America</rpm:vendor>
    <rpm:sourcerpm/>
  </format>
</package>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${packages.length}">
${entries.join("\n")}
</metadata>
`;
}

function renderUpdateinfo(updates: YumRepositoryUpdate[], collection: string): string {
  const entries = updates.map((update) => {
    const references = [
      `<reference href="https://linux.oracle.com/errata/${update.id}.html" id="${update.id}" title="${update.id}" type="self"/>`,
      ...update.cves.map((cve) => `<reference href="https://linux.oracle.com/cve/${cve}.html" id="${cve}" title="${cve}" type="cve"/>`),
    ];
    const packages = update.packages.map(
      (pkg) =>
        `<package name="${escapeHtml(pkg.name)}" arch="src" epoch="${pkg.epoch}" version="${escapeHtml(pkg.version)}" release="${escapeHtml(pkg.release)}" src="${escapeHtml(pkg.fileName)}"><filename>${escapeHtml(pkg.fileName)}</filename></package>`,
    );
    return `<update from="el-errata_us@oracle.com" status="final" type="${update.type}" version="2">
  <id>${update.id}</id>
  <title>${escapeHtml(update.title)}</title>
  <issued date="${formatUpdateinfoDate(update.issuedAt)}"/>
  <updated date="${formatUpdateinfoDate(update.updatedAt)}"/>
  <severity>${escapeHtml(update.severity)}</severity>
  <description>${escapeHtml(update.title)} (simulated)</description>
  <references>
    ${references.join("\n    ")}
  </references>
  <pkglist>
    <collection short="${collection}">
      <name>${collection}</name>
      ${packages.join("\n      ")}
    </collection>
  </pkglist>
</update>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n${entries.join("\n")}\n</updates>\n`;
}

/**
 * repodata/ of a source repository as createrepo_c writes it: checksum-named primary.xml.gz and
 * updateinfo.xml.xz, and a repomd.xml whose checksums are the real sha256 of the files served.
 */
export function buildYumRepository(input: {
  packages: YumRepositoryPackage[];
  updates: YumRepositoryUpdate[];
  builtAt: Date;
  collection: string;
}): YumRepository {
  const seconds = Math.floor(input.builtAt.getTime() / 1000);
  const files = [
    {
      type: "primary",
      name: "primary.xml.gz",
      open: Buffer.from(renderPrimary(input.packages, input.builtAt)),
      compress: (bytes: Buffer) => gzipSync(bytes),
    },
    {
      type: "updateinfo",
      name: "updateinfo.xml.xz",
      open: Buffer.from(renderUpdateinfo(input.updates, input.collection)),
      compress: encodeXzStored,
    },
  ].map((file) => {
    const body = file.compress(file.open);
    return { ...file, body, href: `repodata/${sha256(body)}-${file.name}` };
  });
  const data = files.map(
    (file) => `  <data type="${file.type}">
    <checksum type="sha256">${sha256(file.body)}</checksum>
    <open-checksum type="sha256">${sha256(file.open)}</open-checksum>
    <location href="${file.href}"/>
    <timestamp>${seconds}</timestamp>
    <size>${file.body.length}</size>
    <open-size>${file.open.length}</open-size>
  </data>`,
  );
  const repomd = `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>${seconds}</revision>
${data.join("\n")}
</repomd>
`;
  return { repomd: Buffer.from(repomd), dataFiles: files.map((file) => ({ href: file.href, body: file.body })) };
}
