import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import xzPkg from "xz-decompress";
import { describeAbort, MetadataReadError, type MetadataErrorKind } from "./metadata-read-error";
import { createEventLoopYielder } from "./create-event-loop-yielder";
import { streamUnzstd, ZstdStreamError } from "../compression/stream-unzstd";
import { createZstdWindowGuard, ZSTD_MAX_WINDOW_BYTES } from "../compression/zstd-window-guard";

export { ZSTD_MAX_WINDOW_BYTES };

const { XzReadableStream } = xzPkg;

export type MetadataCompression = "gzip" | "xz" | "zstd" | "bzip2" | "none";

export interface DecompressLimits {
  /** More decompressed bytes than this end the file as `too_large`. */
  maxDecompressedBytes: number;
  signal?: AbortSignal;
}

export type DecompressMetadataResult = { ok: true; data: Buffer } | { ok: false; error: { kind: MetadataErrorKind; message: string } };

/** Plain files are handed out in slices of this size, so that the scanner's buffer never holds a whole file. */
const PLAIN_SLICE_BYTES = 64 * 1024;
const GZIP_CHUNK_BYTES = 64 * 1024;

function startsWith(body: Uint8Array, magic: number[]): boolean {
  return body.length >= magic.length && magic.every((byte, index) => body[index] === byte);
}

/**
 * By magic bytes, not by the suffix: a server that sends a `.gz` file with `Content-Encoding: gzip`
 * has it decoded by fetch, and the body is then plain XML under a `.gz` name.
 */
export function detectMetadataCompression(body: Uint8Array): MetadataCompression {
  if (startsWith(body, [0x1f, 0x8b])) return "gzip";
  if (startsWith(body, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "xz";
  if (startsWith(body, [0x28, 0xb5, 0x2f, 0xfd])) return "zstd";
  if (startsWith(body, [0x42, 0x5a, 0x68])) return "bzip2";
  return "none";
}

function* slicePlain(body: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < body.length; offset += PLAIN_SLICE_BYTES) yield body.subarray(offset, offset + PLAIN_SLICE_BYTES);
}

async function* gunzip(body: Uint8Array): AsyncGenerator<Uint8Array> {
  const stream = Readable.from([body]).pipe(createGunzip({ chunkSize: GZIP_CHUNK_BYTES }));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

async function* unxz(body: Uint8Array): AsyncGenerator<Uint8Array> {
  const reader = (new XzReadableStream(new Blob([new Uint8Array(body)]).stream()) as ReadableStream<Uint8Array>).getReader();
  let isDone = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        isDone = true;
        return;
      }
      yield value;
    }
  } catch (error) {
    isDone = true;
    throw error;
  } finally {
    // xz-decompress runs one stream at a time (a process-wide lock): a stream left open would stall every later one.
    if (!isDone) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Walks the frames' headers and block headers (cheap: no decoding) to refuse windows fzstd would allocate and
 * shift per block. Returns an error message, or null when every frame is acceptable (or the walk cannot go on:
 * fzstd then reports the corruption itself).
 */
export function checkZstdWindows(body: Uint8Array, maxWindowBytes: number): string | null {
  return createZstdWindowGuard(maxWindowBytes).check(body);
}

/** The archive's streaming decoder (window check, capped steps) over one body; its errors in this file's terms. */
async function* unzstd(body: Uint8Array, maxDecompressedBytes: number): AsyncGenerator<Uint8Array> {
  try {
    yield* streamUnzstd([body], { maxDecompressedBytes, maxWindowBytes: ZSTD_MAX_WINDOW_BYTES });
  } catch (error) {
    if (!(error instanceof ZstdStreamError)) throw error;
    throw new MetadataReadError(error.kind, error.limit === "decompressed" ? describeOverCap(maxDecompressedBytes) : error.message);
  }
}

function describeOverCap(maxDecompressedBytes: number): string {
  return `more than ${maxDecompressedBytes} bytes once decompressed (maxDecompressedBytes)`;
}

function decompress(body: Uint8Array, maxDecompressedBytes: number): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  switch (detectMetadataCompression(body)) {
    case "none":
      return slicePlain(body);
    case "gzip":
      return gunzip(body);
    case "xz":
      return unxz(body);
    case "zstd":
      return unzstd(body, maxDecompressedBytes);
    case "bzip2":
      throw new MetadataReadError("parse", "bzip2 is not supported");
  }
}

/**
 * Decompressed bytes of a metadata file, chunk by chunk, so that a primary.xml of hundreds of MB never sits in
 * memory whole; the event loop gets a turn every few milliseconds. More than `maxDecompressedBytes` ends it as
 * `too_large`, an aborted signal as `timeout`, corrupt input as `parse` — each a MetadataReadError naming the file.
 */
export async function* streamDecompressedMetadata(
  body: Uint8Array,
  fileName: string,
  limits: DecompressLimits,
): AsyncGenerator<Uint8Array> {
  const { maxDecompressedBytes, signal } = limits;
  const yieldToEventLoop = createEventLoopYielder();
  let total = 0;
  try {
    for await (const chunk of decompress(body, maxDecompressedBytes)) {
      if (signal?.aborted) throw new MetadataReadError("timeout", describeAbort(signal));
      total += chunk.length;
      if (total > maxDecompressedBytes) {
        throw new MetadataReadError("too_large", describeOverCap(maxDecompressedBytes));
      }
      yield chunk;
      await yieldToEventLoop();
    }
  } catch (error) {
    const kind = error instanceof MetadataReadError ? error.kind : "parse";
    const reason = error instanceof MetadataReadError ? error.message : `cannot decompress: ${describeDecompressFailure(error)}`;
    throw new MetadataReadError(kind, `${fileName}: ${reason}`);
  }
}

/** Library messages (zlib, fzstd, xz) describe the failure, never quote the input. */
function describeDecompressFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function decompressMetadata(body: Uint8Array, fileName: string, limits: DecompressLimits): Promise<DecompressMetadataResult> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of streamDecompressedMetadata(body, fileName, limits)) chunks.push(chunk);
  } catch (error) {
    const kind = error instanceof MetadataReadError ? error.kind : "parse";
    return { ok: false, error: { kind, message: (error as Error).message } };
  }
  return { ok: true, data: Buffer.concat(chunks) };
}
