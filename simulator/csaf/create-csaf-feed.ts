import type http from "node:http";
import type { Fault } from "../faults";
import { createStaticFile, sendStaticFile, sendText, type StaticFile } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ScenarioRelease, ScenarioTimeline } from "../scenarios/june-2023";
import { buildCsafArchive } from "./build-csaf-archive";
import { buildCsafDocument, formatCsafTimestamp, getCsafDocumentPath } from "./build-csaf-document";

export type CsafPathKind = "csaf-changes" | "csaf-deletions" | "csaf-archive-latest" | "csaf-archive" | "csaf-document" | "csaf-other";

const ARCHIVE_NAME = /^csaf_advisories_(\d{4}-\d{2}-\d{2})\.tar\.zst$/;

export interface CsafFeed {
  getPathKind(relativePath: string): CsafPathKind;
  /** Answers one request under the feed directory; returns true when it answered 304. */
  handle(request: http.IncomingMessage, response: http.ServerResponse, relativePath: string, fault: Fault | null): boolean;
}

/** The feed directory of Red Hat's CSAF advisories as it looked at `clock.now()`. */
export function createCsafFeed(options: { timeline: ScenarioTimeline; clock: Clock }): CsafFeed {
  const { timeline, clock } = options;
  const releases = timeline.releases;
  const releaseByPath = new Map(releases.map((release) => [getCsafDocumentPath(release.advisoryId), release]));
  const windowStart = new Date(releases[0].releasedAt.getTime() - 24 * 3_600_000);
  let changes: { count: number; file: StaticFile } | undefined;
  const documentFiles = new Map<string, StaticFile>();
  const deletionsFile = createStaticFile("", "text/csv", windowStart);
  let archiveLatest: { day: string; file: StaticFile } | undefined;
  /** The archive of one day, built once (zstd of the whole tar): the newest asked for is kept. */
  let archive: { day: string; file: Promise<StaticFile> } | undefined;

  const countReleased = (now: Date) => {
    let count = 0;
    while (count < releases.length && releases[count].releasedAt.getTime() <= now.getTime()) count++;
    return count;
  };

  const getChangesFile = (count: number): StaticFile => {
    if (changes?.count !== count) {
      const rows = releases
        .slice(0, count)
        .reverse()
        .map((release) => `"${getCsafDocumentPath(release.advisoryId)}","${formatCsafTimestamp(release.releasedAt)}"\n`);
      changes = { count, file: createStaticFile(rows.join(""), "text/csv", count > 0 ? releases[count - 1].releasedAt : windowStart) };
    }
    return changes.file;
  };

  const getDocumentFile = (release: ScenarioRelease, fault: Fault | null): StaticFile => {
    const isInvalidPurl = fault?.mode === "invalid-purl";
    const selfLink = fault?.mode === "javascript-self-link" ? "javascript" : fault?.mode === "off-site-self-link" ? "off-site" : undefined;
    const cacheKey = `${release.advisoryId}${isInvalidPurl ? "#invalid-purl" : ""}${selfLink ? `#${selfLink}` : ""}`;
    let file = documentFiles.get(cacheKey);
    if (!file) {
      const text = `${JSON.stringify(buildCsafDocument(release, { invalidPurl: isInvalidPurl, selfLink }), null, 2)}\n`;
      file = createStaticFile(text, "application/json", release.releasedAt);
      documentFiles.set(cacheKey, file);
    }
    if (fault?.mode !== "truncated-json") return file;
    return createStaticFile(file.body.subarray(0, Math.floor(file.body.length / 2)), "application/json", release.releasedAt);
  };

  /** Every document released before the day began, as Red Hat's archive of that day holds the feed as of then. */
  const getArchiveFile = (day: string): Promise<StaticFile> => {
    if (archive?.day !== day) {
      const dayStart = new Date(`${day}T00:00:00Z`);
      const released = releases.filter((release) => release.releasedAt.getTime() < dayStart.getTime());
      const files = released.map((release) => ({
        path: getCsafDocumentPath(release.advisoryId),
        body: getDocumentFile(release, null).body,
        mtime: release.releasedAt,
      }));
      const file = buildCsafArchive(files).then((bytes) => ({
        ...createStaticFile(bytes, "application/zstd", dayStart),
        isCompressed: true,
      }));
      archive = { day, file };
    }
    return archive.file;
  };

  const getPathKind = (relativePath: string): CsafPathKind => {
    if (relativePath === "changes.csv") return "csaf-changes";
    if (relativePath === "deletions.csv") return "csaf-deletions";
    if (relativePath === "archive_latest.txt") return "csaf-archive-latest";
    if (ARCHIVE_NAME.test(relativePath)) return "csaf-archive";
    if (/^\d{4}\/[a-z]+-\d{4}_\d+\.json$/.test(relativePath)) return "csaf-document";
    return "csaf-other";
  };

  return {
    getPathKind,
    handle(request, response, relativePath, fault) {
      const now = clock.now();
      switch (getPathKind(relativePath)) {
        case "csaf-changes":
          return sendStaticFile(request, response, getChangesFile(countReleased(now)));
        case "csaf-deletions":
          return sendStaticFile(request, response, deletionsFile);
        case "csaf-archive-latest": {
          const day = now.toISOString().slice(0, 10);
          if (archiveLatest?.day !== day) {
            archiveLatest = { day, file: createStaticFile(`csaf_advisories_${day}.tar.zst`, "text/plain", new Date(`${day}T00:00:00Z`)) };
          }
          return sendStaticFile(request, response, archiveLatest.file);
        }
        case "csaf-archive": {
          // Only the archive archive_latest.txt names today: an older one has been removed, a later one does not exist yet.
          const day = ARCHIVE_NAME.exec(relativePath)![1];
          if (day !== now.toISOString().slice(0, 10)) break;
          getArchiveFile(day).then(
            (file) => sendStaticFile(request, response, file),
            (error: Error) => sendText(response, 500, `simulator error: ${error.message}\n`),
          );
          return false;
        }
        case "csaf-document": {
          const release = releaseByPath.get(relativePath);
          if (release && release.releasedAt.getTime() <= now.getTime()) {
            return sendStaticFile(request, response, getDocumentFile(release, fault));
          }
          break;
        }
        case "csaf-other":
          break;
      }
      sendText(response, 404, "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n", "text/html");
      return false;
    },
  };
}
