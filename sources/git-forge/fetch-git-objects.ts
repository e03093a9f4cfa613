import type { FetchError, HttpClient } from "../http/types";
import { DELIM_PKT, encodePktLine, FLUSH_PKT, parsePktPackets, toLineText } from "./parse-pkt-lines";
import { readPackObjects, type GitObject } from "./read-pack-objects";

/** What the server said it can do, from its capability advertisement (protocol v2) or first ref line (v0). */
export type GitServer = { protocol: 2; objectFormat: string | null; fetchFeatures: string[] } | { protocol: 0; capabilities: string[] };

export interface ObjectWant {
  /** A ref's object: an annotated tag's tag object, or the commit of a lightweight tag. */
  oid: string;
  /** The commit an annotated tag points to; null for a lightweight tag. */
  peeledOid: string | null;
}

export type FetchGitObjectsResult = { ok: true; objects: Map<string, GitObject> } | { ok: false; error: FetchError };

const REQUEST_TYPE = "application/x-git-upload-pack-request";
const RESULT_TYPE = "application/x-git-upload-pack-result";

/**
 * One `git-upload-pack` request for all `wants` of a repository, for as little as the server allows: `deepen 1` +
 * `filter tree:0` (tags and commits only); without filter, `have <its commit>` for annotated tags (the tag objects
 * alone), else `deepen 1` (the tips' trees and blobs too). A server offering none of these is not asked.
 */
export async function fetchGitObjects(input: {
  http: HttpClient;
  repoUrl: string;
  server: GitServer;
  wants: ObjectWant[];
}): Promise<FetchGitObjectsResult> {
  const wants = [...new Map(input.wants.map((want) => [want.oid, want])).values()];
  const request = buildFetchRequest(input.server, wants);
  if (wants.length === 0 || request === null) return { ok: true, objects: new Map() };
  const url = `${input.repoUrl}/git-upload-pack`;
  const answer = await input.http.request(url, {
    method: "POST",
    headers: { ...(input.server.protocol === 2 ? { "Git-Protocol": "version=2" } : {}), "content-type": REQUEST_TYPE, accept: RESULT_TYPE },
    body: request,
  });
  if (!answer.ok) return answer;
  const parseError = (message: string) => ({ ok: false as const, error: { kind: "parse" as const, message, url } });
  if ((answer.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase() !== RESULT_TYPE) {
    return parseError(`not a git upload-pack result (content-type is not ${RESULT_TYPE})`);
  }
  const pack = readFetchResponse(answer.body);
  if (!pack.ok) return parseError(pack.message);
  const read = readPackObjects(pack.pack, { wantedOids: new Set(wants.map((want) => want.oid)) });
  if (!read.ok) return parseError(`bad packfile: ${read.message}`);
  return { ok: true, objects: read.objects };
}

/** The request body, or null when the server offers no bounded way to send these objects. */
export function buildFetchRequest(server: GitServer, wants: ObjectWant[]): Buffer | null {
  const features = server.protocol === 2 ? server.fetchFeatures : server.capabilities;
  const hasFilter = features.includes("filter");
  const hasShallow = features.includes("shallow");
  const isEveryWantAnnotated = wants.every((want) => want.peeledOid !== null);
  let shape: "filter" | "have-commits" | "deepen";
  if (hasFilter && hasShallow) shape = "filter";
  else if (isEveryWantAnnotated) shape = "have-commits";
  else if (hasShallow) shape = "deepen";
  else return null;

  // With haves, `deepen 1` still bounds the pack should the server not recognise a have.
  const shallowLines = [...(hasShallow ? ["deepen 1"] : []), ...(shape === "filter" ? ["filter tree:0"] : [])];
  const haveLines = shape === "have-commits" ? wants.map((want) => `have ${want.peeledOid}`) : [];
  if (server.protocol === 2) {
    return Buffer.concat([
      encodePktLine("command=fetch"),
      ...(server.objectFormat ? [encodePktLine(server.objectFormat)] : []),
      DELIM_PKT,
      ...shallowLines.map(encodePktLine),
      ...wants.map((want) => encodePktLine(`want ${want.oid}`)),
      ...haveLines.map(encodePktLine),
      encodePktLine("no-progress"),
      encodePktLine("done"),
      FLUSH_PKT,
    ]);
  }
  const sideBand = ["side-band-64k", "side-band"].find((capability) => features.includes(capability));
  if (!sideBand) return null;
  const objectFormat = features.find((capability) => capability.startsWith("object-format=") && capability !== "object-format=sha1");
  const capabilities = [
    sideBand,
    "no-progress",
    ...(hasShallow ? ["shallow"] : []),
    ...(shape === "filter" ? ["filter"] : []),
    ...(objectFormat ? [objectFormat] : []),
  ].filter((capability) => capability.startsWith("object-format=") || features.includes(capability));
  return Buffer.concat([
    ...wants.map((want, index) => encodePktLine(`want ${want.oid}${index === 0 ? ` ${capabilities.join(" ")}` : ""}`)),
    ...shallowLines.map(encodePktLine),
    FLUSH_PKT,
    ...haveLines.map(encodePktLine),
    encodePktLine("done"),
  ]);
}

/**
 * The packfile of an upload-pack answer: protocol v2 sections (the pack follows a `packfile` line) or the v0 answer
 * (shallow, ACK/NAK lines, then the pack); either way in side-band packets: 1 data, 2 progress, 3 error.
 */
export function readFetchResponse(body: Buffer): { ok: true; pack: Buffer } | { ok: false; message: string } {
  const parsed = parsePktPackets(body);
  if (!parsed.ok) return parsed;
  const chunks: Buffer[] = [];
  let isInPack = false;
  for (const packet of parsed.packets) {
    if (packet.type !== "data") {
      if (isInPack && packet.type === "flush") break;
      continue;
    }
    const band = packet.payload[0];
    if (!isInPack) {
      const text = toLineText(packet.payload);
      if (text.startsWith("ERR ")) return { ok: false, message: `the server answered an ERR packet (${text.length} bytes)` };
      if (text === "packfile") {
        isInPack = true;
        continue;
      }
      if (band !== 1 && band !== 2 && band !== 3) continue;
      isInPack = true;
    }
    if (band === 1) chunks.push(packet.payload.subarray(1));
    else if (band === 3)
      return { ok: false, message: `the server reported an error in the pack stream (${packet.payload.length - 1} bytes)` };
    else if (band !== 2) return { ok: false, message: `unknown side-band ${band}` };
  }
  if (chunks.length === 0) return { ok: false, message: "the answer holds no packfile" };
  return { ok: true, pack: Buffer.concat(chunks) };
}
