import { createHash } from "node:crypto";
import type http from "node:http";
import { createStaticFile, sendStaticFile, sendText, type StaticFile } from "../http-responses";
import type { Clock } from "../scenario-clock";
import { computeMirrorPublications, type MirrorPublication } from "../scenarios/mirror-publications";
import { hashToUnit, type ScenarioTimeline } from "../scenarios/june-2023";
import type { SimulatorReplica } from "../simulator-replica";
import { buildYumRepository, type YumRepositoryPackage, type YumRepositoryUpdate } from "./build-yum-repository";
import { renderSrpmIndexPage } from "./render-srpm-index-page";

const KEPT_DATA_FILES_PER_MAJOR = 64;
const CONTENT_TYPES: Record<string, string> = { gz: "application/x-gzip", xz: "application/x-xz", rpm: "application/x-rpm" };

/** Oracle's erratum id for a Red Hat one: RHSA-2023:3722 → ELSA-2023-3722. */
export function toOracleErratumId(advisoryId: string): string {
  return advisoryId.replace(/^RH([SBE])A-(\d{4}):(\d+)$/, "EL$1A-$2-$3");
}

interface MajorSnapshot {
  visibleCount: number;
  index: StaticFile;
  repomd: StaticFile;
  fileNames: Set<string>;
}

/** Static files as Apache serves them: ETag, Last-Modified, 304; already-compressed files are sent as they are. */
function sendFileAsIs(request: http.IncomingMessage, response: http.ServerResponse, file: StaticFile): void {
  response.setHeader("ETag", file.etag);
  response.setHeader("Last-Modified", file.lastModified.toUTCString());
  const ifNoneMatch = request.headers["if-none-match"];
  const ifModifiedSince = request.headers["if-modified-since"];
  const isNotModified = ifNoneMatch
    ? ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === file.etag)
    : ifModifiedSince !== undefined && file.lastModified.getTime() <= Date.parse(ifModifiedSince);
  if (isNotModified) {
    response.writeHead(304);
    response.end();
    return;
  }
  response.writeHead(200, { "Content-Type": file.contentType, "Content-Length": file.body.length });
  response.end(request.method === "HEAD" ? undefined : file.body);
}

/**
 * Oracle Linux as srcwatch sees it in the scenario: the flat SRPM index of oss.oracle.com
 * (`<basePath>/ol{8,9}/SRPMS-updates/`) and a yum source repository with ELSA updateinfo
 * (`<basePath>/repo/OracleLinux/OL{8,9}/baseos/latest/SRPMS/`), both showing the builds published by `clock.now()`.
 */
export function createOracleReplica(options: { timeline: ScenarioTimeline; clock: Clock; basePath: string }): SimulatorReplica {
  const { timeline, clock } = options;
  const basePath = options.basePath.replace(/\/+$/, "");
  const publicationsByMajor = new Map<number, MirrorPublication[]>();
  for (const publication of computeMirrorPublications(timeline, "oracle")) {
    const list = publicationsByMajor.get(publication.major) ?? [];
    list.push(publication);
    publicationsByMajor.set(publication.major, list);
  }
  const advisoryRecords = new Map(
    timeline.releases.flatMap((release) => release.records.map((record) => [`${release.advisoryId}/${record.major}`, record] as const)),
  );
  const windowStart = new Date((timeline.releases[0]?.releasedAt.getTime() ?? 0) - 24 * 3_600_000);
  const snapshots = new Map<number, MajorSnapshot>();
  const dataFiles = new Map<number, Map<string, StaticFile>>();

  const countVisible = (publications: MirrorPublication[], now: Date) => {
    let count = 0;
    while (count < publications.length && publications[count].publishedAt.getTime() <= now.getTime()) count++;
    return count;
  };

  const buildSnapshot = (major: number, publications: MirrorPublication[], visibleCount: number): MajorSnapshot => {
    const visible = publications.slice(0, visibleCount);
    const lastModified = visible.at(-1)?.publishedAt ?? windowStart;
    const packagesByFile = new Map<string, { pkg: YumRepositoryPackage; publishedAt: Date }>();
    const updatesById = new Map<string, YumRepositoryUpdate>();
    for (const publication of visible) {
      const pkg: YumRepositoryPackage = {
        name: publication.name,
        epoch: publication.epoch,
        version: publication.version,
        release: publication.release,
        fileName: `${publication.nvr}.src.rpm`,
      };
      if (!packagesByFile.has(pkg.fileName)) packagesByFile.set(pkg.fileName, { pkg, publishedAt: publication.publishedAt });
      const advisoryId = publication.source.advisoryId;
      const id = toOracleErratumId(advisoryId);
      const update = updatesById.get(id);
      if (update) {
        if (!update.packages.some((known) => known.fileName === pkg.fileName)) update.packages.push(pkg);
        update.updatedAt = publication.publishedAt;
        continue;
      }
      const record = advisoryRecords.get(`${advisoryId}/${major}`);
      const severity = record?.severity ?? "Moderate";
      updatesById.set(id, {
        id,
        type: record?.type ?? (advisoryId.startsWith("RHSA") ? "security" : advisoryId.startsWith("RHBA") ? "bugfix" : "enhancement"),
        severity,
        title: `${id}:  ${record?.title ?? `${publication.name} update`} (${severity.toUpperCase()})`,
        issuedAt: publication.publishedAt,
        updatedAt: publication.publishedAt,
        cves: record?.cves ?? [],
        packages: [pkg],
      });
    }
    const packages = [...packagesByFile.values()];
    const repository = buildYumRepository({
      packages: packages.map((entry) => entry.pkg),
      updates: [...updatesById.values()],
      builtAt: lastModified,
      collection: `ol${major}_baseos_latest`,
    });
    let kept = dataFiles.get(major);
    if (!kept) dataFiles.set(major, (kept = new Map()));
    for (const file of repository.dataFiles) {
      kept.set(
        file.href,
        createStaticFile(file.body, CONTENT_TYPES[file.href.split(".").at(-1)!] ?? "application/octet-stream", lastModified),
      );
    }
    for (const href of [...kept.keys()].slice(0, Math.max(0, kept.size - KEPT_DATA_FILES_PER_MAJOR))) kept.delete(href);
    const index = renderSrpmIndexPage(
      `/ol${major}/SRPMS-updates/`,
      packages.map(({ pkg, publishedAt }) => ({
        fileName: pkg.fileName,
        modifiedAt: publishedAt,
        sizeBytes: Math.floor(200_000 + hashToUnit(pkg.fileName) * 40_000_000),
      })),
    );
    return {
      visibleCount,
      index: createStaticFile(index, "text/html;charset=UTF-8", lastModified),
      repomd: createStaticFile(repository.repomd, "text/xml", lastModified),
      fileNames: new Set(packagesByFile.keys()),
    };
  };

  const getSnapshot = (major: number): MajorSnapshot | null => {
    const publications = publicationsByMajor.get(major);
    if (!publications) return null;
    const visibleCount = countVisible(publications, clock.now());
    let snapshot = snapshots.get(major);
    if (snapshot?.visibleCount !== visibleCount) {
      snapshot = buildSnapshot(major, publications, visibleCount);
      snapshots.set(major, snapshot);
    }
    return snapshot;
  };

  const sendSourceRpm = (request: http.IncomingMessage, response: http.ServerResponse, snapshot: MajorSnapshot, fileName: string) => {
    if (!snapshot.fileNames.has(fileName)) return sendText(response, 404, "Not Found\n", "text/html");
    const body = `simulated source RPM ${fileName}\n`;
    const etag = `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"`;
    sendFileAsIs(request, response, {
      body: Buffer.from(body),
      contentType: CONTENT_TYPES.rpm,
      lastModified: snapshot.index.lastModified,
      etag,
    });
  };

  return {
    handle(request, response, pathname) {
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return false;
      const rest = pathname.slice(basePath.length);
      const index = /^\/ol(\d+)\/SRPMS-updates(\/(.*))?$/.exec(rest);
      if (index) {
        const snapshot = getSnapshot(Number(index[1]));
        if (!snapshot) sendText(response, 404, "Not Found\n", "text/html");
        else if (index[2] === undefined) {
          response.writeHead(301, { Location: `${pathname}/` });
          response.end();
        } else if (index[3] === "") sendStaticFile(request, response, snapshot.index);
        else sendSourceRpm(request, response, snapshot, index[3]);
        return true;
      }
      const repo = /^\/repo\/OracleLinux\/OL(\d+)\/baseos\/latest\/SRPMS\/(.*)$/.exec(rest);
      const snapshot = repo ? getSnapshot(Number(repo[1])) : null;
      if (!repo || !snapshot) {
        sendText(response, 404, "Not Found\n", "text/html");
        return true;
      }
      const file = repo[2];
      const dataFile = dataFiles.get(Number(repo[1]))?.get(file);
      if (file === "repodata/repomd.xml") sendStaticFile(request, response, snapshot.repomd);
      else if (dataFile) sendFileAsIs(request, response, dataFile);
      else if (file.startsWith("Packages/")) sendSourceRpm(request, response, snapshot, file.slice("Packages/".length));
      else sendText(response, 404, "Not Found\n", "text/html");
      return true;
    },
  };
}
