import { createHash } from "node:crypto";
import type http from "node:http";
import { gzipSync } from "node:zlib";
import type { Fault } from "../faults";
import { sendText } from "../http-responses";
import { buildMetadataBomb, renderUnclosedElementPrimary, type BombCompression } from "./build-metadata-bomb";

export type HostileYumFault = Extract<Fault, { mode: "metadata-bomb" | "unclosed-element" }>;

/** 32 MiB of one `<package>`: four times the default maxElementBytes. */
const DEFAULT_UNCLOSED_ELEMENT_BYTES = 32 * 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function renderRepomd(primary: { href: string; body: Buffer }): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1687000000</revision>
  <data type="primary">
    <checksum type="sha256">${sha256(primary.body)}</checksum>
    <location href="${primary.href}"/>
    <timestamp>1687000000</timestamp>
    <size>${primary.body.length}</size>
  </data>
</repomd>
`);
}

/**
 * A yum repository gone hostile: any `…/repodata/repomd.xml` lists a primary that is a decompression bomb (zstd,
 * gzip or xz) or whose first `<package>` never closes, with the right checksum so that a client does read it.
 * Files are built once per fault and kept (the gzip and xz bombs also on disk, see buildCompressedBomb).
 */
export function createHostileYumRepository() {
  const primaries = new Map<string, Promise<{ href: string; body: Buffer }>>();

  const buildPrimary = (fault: HostileYumFault): Promise<{ href: string; body: Buffer }> => {
    const key = JSON.stringify(fault);
    let primary = primaries.get(key);
    if (!primary) {
      primary =
        fault.mode === "metadata-bomb"
          ? buildMetadataBomb(fault.compression as BombCompression, fault.decompressedBytes).then((body) => ({
              href: `repodata/${sha256(body)}-primary.xml.${fault.compression}`,
              body,
            }))
          : Promise.resolve(gzipSync(renderUnclosedElementPrimary(fault.elementBytes ?? DEFAULT_UNCLOSED_ELEMENT_BYTES))).then((body) => ({
              href: `repodata/${sha256(body)}-primary.xml.gz`,
              body,
            }));
      primaries.set(key, primary);
    }
    return primary;
  };

  return {
    /** Answers repomd.xml and the hostile primary of any repository path; false for other paths. */
    async handle(request: http.IncomingMessage, response: http.ServerResponse, pathname: string, fault: HostileYumFault): Promise<boolean> {
      const at = pathname.lastIndexOf("/repodata/");
      if (at === -1) return false;
      const primary = await buildPrimary(fault);
      const file = pathname.slice(at + 1);
      if (file === "repodata/repomd.xml") {
        const repomd = renderRepomd(primary);
        response.writeHead(200, { "Content-Type": "text/xml", "Content-Length": repomd.length });
        response.end(request.method === "HEAD" ? undefined : repomd);
      } else if (file === primary.href) {
        response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": primary.body.length });
        response.end(request.method === "HEAD" ? undefined : primary.body);
      } else sendText(response, 404, "Not Found\n", "text/html");
      return true;
    },
  };
}
