import type http from "node:http";
import { z } from "zod";

/** yum: every yum repository the simulator serves (paths with `/repodata/`). */
export const FAULT_TARGETS = ["csaf", "git", "yum"] as const;
export const FaultTarget = z.enum(FAULT_TARGETS);
export type FaultTarget = z.infer<typeof FaultTarget>;

const FaultScope = {
  /** Only requests whose path contains this string are affected (default: every request of the target). */
  pathIncludes: z.string().min(1).optional(),
};

export const Fault = z.discriminatedUnion("mode", [
  /** The connection is destroyed without an answer. */
  z.object({ mode: z.literal("down"), ...FaultScope }),
  z.object({ mode: z.literal("http-500"), ...FaultScope }),
  /** An HTML error page with status 200, as a captive portal or a broken proxy sends. */
  z.object({ mode: z.literal("html-200"), ...FaultScope }),
  /** JSON bodies (CSAF advisories, Pagure API) cut in half; changes.csv and git stay valid. */
  z.object({ mode: z.literal("truncated-json"), ...FaultScope }),
  /** A valid-looking body of `bytes` bytes, streamed without Content-Length. */
  z.object({ mode: z.literal("oversized"), bytes: z.number().int().positive(), ...FaultScope }),
  /** CSAF advisories whose source purls are garbage. */
  z.object({ mode: z.literal("invalid-purl"), ...FaultScope }),
  /** CSAF advisories whose `self` reference is `javascript:alert(document.domain)//errata/<id>` (a hostile feed). */
  z.object({ mode: z.literal("javascript-self-link"), ...FaultScope }),
  /** CSAF advisories whose `self` reference is an https page off Red Hat's hosts, made to look like theirs. */
  z.object({ mode: z.literal("off-site-self-link"), ...FaultScope }),
  /** yum: repomd.xml lists a primary that decompresses to `decompressedBytes` (default 1.06 GiB) of one byte, checksum matching. */
  z.object({
    mode: z.literal("metadata-bomb"),
    compression: z.enum(["zst", "gz", "xz"]),
    decompressedBytes: z.number().int().positive().optional(),
    ...FaultScope,
  }),
  /** yum: repomd.xml lists a primary whose first `<package>` never closes (`elementBytes` of it, default 32 MiB). */
  z.object({ mode: z.literal("unclosed-element"), elementBytes: z.number().int().positive().optional(), ...FaultScope }),
  /** The answer starts after `delayMs` real milliseconds. */
  z.object({ mode: z.literal("slow"), delayMs: z.number().int().min(0), ...FaultScope }),
  /** A hostile redirect (302 unless `status`) to this Location: a loopback service, 169.254.169.254, another host, a file: URL… */
  z.object({
    mode: z.literal("redirect"),
    location: z.string().min(1),
    status: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).optional(),
    ...FaultScope,
  }),
  /** A 200 answer with this exact body (e.g. an index whose bad line carries a secret that must never be shown). */
  z.object({ mode: z.literal("body"), body: z.string(), contentType: z.string().optional(), ...FaultScope }),
]);
export type Fault = z.infer<typeof Fault>;

export const FaultRequest = z.object({ target: FaultTarget, fault: Fault.nullable() });
export type FaultRequest = z.infer<typeof FaultRequest>;

export type BodyFormat = "json" | "csv" | "text";

const CHUNK_BYTES = 64 * 1024;

function createOversizedParts(format: BodyFormat): { head: string; filler: string; tail: string } {
  switch (format) {
    case "json":
      return {
        head: '{\n  "document": {\n    "category": "csaf_security_advisory",\n    "notes": [\n      {\n        "category": "general",\n        "text": "',
        filler: "Security Fix(es): ",
        tail: '"\n      }\n    ]\n  }\n}\n',
      };
    case "csv":
      return { head: "", filler: '"2023/rhsa-2023_0000.json","2023-06-14T00:00:00+00:00"\n', tail: "" };
    case "text":
      return { head: "", filler: "0000000000000000000000000000000000000000 refs/tags/imports/c8/padding\n", tail: "" };
  }
}

/** Streams a body of exactly `bytes` bytes (for `json`: valid JSON once complete), honouring back-pressure. */
export async function streamOversizedBody(response: http.ServerResponse, format: BodyFormat, bytes: number): Promise<void> {
  const { head, filler, tail } = createOversizedParts(format);
  const contentType = { json: "application/json", csv: "text/csv", text: "text/plain" }[format];
  response.writeHead(200, { "Content-Type": contentType });
  const fillerChunk = Buffer.from(filler.repeat(Math.ceil(CHUNK_BYTES / filler.length)));
  let remaining = bytes - Buffer.byteLength(tail);
  const write = (chunk: Buffer) =>
    response.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => response.once("drain", resolve));
  const headBytes = Buffer.from(head).subarray(0, Math.max(0, remaining));
  await write(headBytes);
  remaining -= headBytes.length;
  while (remaining > 0 && !response.destroyed) {
    const chunk = fillerChunk.subarray(0, Math.min(remaining, fillerChunk.length));
    remaining -= chunk.length;
    await write(chunk);
  }
  if (!response.destroyed) response.end(Buffer.from(tail).subarray(0, bytes));
}
