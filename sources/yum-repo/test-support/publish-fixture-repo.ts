import { createHash } from "node:crypto";
import type { FileServer } from "./start-file-server";
import {
  compressFixture,
  renderPrimaryXml,
  renderRepomdXml,
  renderUpdateinfoXml,
  type FixtureCompression,
  type FixturePackage,
  type FixtureUpdate,
  type RepomdEntry,
} from "./render-repo-metadata";

export interface FixtureRepo {
  packages: FixturePackage[];
  updates?: FixtureUpdate[];
  compression?: FixtureCompression;
  revision?: string;
  /** Replace the primary file's bytes after its checksum went into repomd.xml. */
  corruptPrimary?: (body: Buffer) => Buffer;
}

/** Writes repodata/ (primary, updateinfo, repomd.xml) under `rootPath` as createrepo_c would, checksum-named. */
export function publishFixtureRepo(
  server: FileServer,
  rootPath: string,
  repo: FixtureRepo,
): { primaryPath: string; updateinfoPath: string | null } {
  const compression = repo.compression ?? "gz";
  const primaryXml = renderPrimaryXml(repo.packages);
  const primaryBody = compressFixture(primaryXml, compression);
  const checksumName = (body: Buffer, name: string) => `repodata/${createHash("sha256").update(body).digest("hex")}-${name}`;
  const primaryHref = checksumName(primaryBody, `primary.xml${compression === "none" ? "" : `.${compression}`}`);
  const entries: RepomdEntry[] = [{ type: "primary", href: primaryHref, body: primaryBody, openBody: Buffer.from(primaryXml) }];
  let updateinfoPath: string | null = null;
  if (repo.updates) {
    const updateinfoBody = compressFixture(renderUpdateinfoXml(repo.updates), "xz");
    const href = checksumName(updateinfoBody, "updateinfo.xml.xz");
    entries.push({ type: "updateinfo", href, body: updateinfoBody });
    updateinfoPath = `${rootPath}${href}`;
    server.put(updateinfoPath, updateinfoBody);
  }
  server.put(`${rootPath}${primaryHref}`, repo.corruptPrimary ? repo.corruptPrimary(primaryBody) : primaryBody);
  server.put(`${rootPath}repodata/repomd.xml`, renderRepomdXml(repo.revision ?? "1687269780", entries), "text/xml");
  return { primaryPath: `${rootPath}${primaryHref}`, updateinfoPath };
}
