import { Parser, type ReadEntry } from "tar";
import { streamUnzstd, ZstdStreamError } from "../compression/stream-unzstd";

/** `2023/rhsa-2023_7464.json`, as in changes.csv, optionally under `./`. Anything else in the archive is passed over. */
const DOCUMENT_ENTRY = /^(?:\.\/)?(\d{4}\/[a-z]+-\d{4}_\d+\.json)$/;
/** pax and GNU long-name headers are held whole by the parser: real ones are a few hundred bytes. */
const MAX_META_ENTRY_BYTES = 64 * 1024;
const TAR_BLOCK_BYTES = 512;
const END_OF_ARCHIVE_BYTES = 2 * TAR_BLOCK_BYTES;

export interface CsafArchiveLimits {
  /** A document larger than this is not read from the archive (its path is reported, to be fetched on its own). */
  maxEntryBytes: number;
  /** Every byte of the tar stream, once decompressed. */
  maxUnpackedBytes: number;
  maxWindowBytes: number;
}

export type CsafArchiveReadResult =
  { ok: true; documents: number; oversizedPaths: string[] } | { ok: false; error: { kind: "parse" | "too_large"; message: string } };

/**
 * Red Hat's `csaf_advisories_<date>.tar.zst` read as it downloads: zstd frames decoded in steps (stream-unzstd), the
 * tar walked by node-tar's parser, each `<year>/<id>.json` handed to `onDocument` whole (at most `maxEntryBytes`).
 * Nothing is written to disk. Errors of the download itself are thrown as they are, for the HTTP client to report.
 */
export async function readCsafArchive(
  compressed: AsyncIterable<Uint8Array>,
  limits: CsafArchiveLimits,
  onDocument: (path: string, body: Buffer) => void,
): Promise<CsafArchiveReadResult> {
  let failure: Error | null = null;
  let documents = 0;
  const oversizedPaths: string[] = [];
  const parser = new Parser({
    strict: true,
    maxMetaEntrySize: MAX_META_ENTRY_BYTES,
    onReadEntry: (entry: ReadEntry) => {
      const match = entry.type === "File" ? DOCUMENT_ENTRY.exec(entry.path) : null;
      // An entry not read holds the parser: what is passed over is drained.
      if (!match) return void entry.resume();
      const path = match[1];
      if ((entry.size ?? 0) > limits.maxEntryBytes) {
        oversizedPaths.push(path);
        return void entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => {
        if (failure) return;
        try {
          onDocument(path, Buffer.concat(chunks));
          documents++;
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
        }
      });
    },
  });
  /** Resolves at the first of `event` or an error: a parser that failed emits neither drain nor end. */
  const settle = (event: "drain" | "end") =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off(event, done);
        parser.off("error", done);
        resolve();
      };
      parser.once(event, done);
      parser.once("error", done);
    });
  parser.on("error", (error: Error & { tarCode?: string; code?: string }) => {
    // node-tar's codes, not its messages: those may quote entry names, and nothing the source sends is quoted.
    failure ??= new TarStreamError(error.tarCode ?? error.code ?? "TAR_BAD_ARCHIVE");
  });

  // A tar ends with two zero blocks (GNU tar pads further with zeros): without them the stream was cut short.
  let unpackedBytes = 0;
  let tail = Buffer.alloc(0);
  try {
    for await (const chunk of streamUnzstd(compressed, {
      maxDecompressedBytes: limits.maxUnpackedBytes,
      maxWindowBytes: limits.maxWindowBytes,
    })) {
      if (failure) break;
      unpackedBytes += chunk.byteLength;
      tail = Buffer.concat([tail, chunk.subarray(Math.max(0, chunk.byteLength - END_OF_ARCHIVE_BYTES))]);
      tail = tail.subarray(Math.max(0, tail.length - END_OF_ARCHIVE_BYTES));
      if (!parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) await settle("drain");
    }
  } catch (error) {
    if (error instanceof ZstdStreamError) return { ok: false, error: { kind: error.kind, message: `the archive: ${error.message}` } };
    throw error;
  }
  if (!failure && (unpackedBytes % TAR_BLOCK_BYTES !== 0 || tail.length < END_OF_ARCHIVE_BYTES || tail.some((byte) => byte !== 0))) {
    failure = new TarStreamError("TAR_TRUNCATED");
  }
  if (!failure) {
    const ended = settle("end");
    parser.end();
    await ended;
  }
  const finalFailure = failure as Error | null;
  if (finalFailure instanceof TarStreamError)
    return { ok: false, error: { kind: "parse", message: `the archive is not a valid tar: ${finalFailure.message}` } };
  if (finalFailure) throw finalFailure;
  return { ok: true, documents, oversizedPaths };
}

class TarStreamError extends Error {}
