import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { Decompress as ZstdDecompress } from "fzstd";
import xzPkg from "xz-decompress";

const { XzReadableStream } = xzPkg;

export type MetadataCompression = "gzip" | "xz" | "zstd" | "bzip2" | "none";

export type DecompressMetadataResult = { ok: true; data: Buffer } | { ok: false; error: { kind: "parse"; message: string } };

const ZSTD_PUSH_BYTES = 64 * 1024;

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

async function* readWebStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* decompressZstd(body: Uint8Array): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  const decompressor = new ZstdDecompress((chunk) => {
    pending.push(chunk);
  });
  for (let offset = 0; offset < body.length; offset += ZSTD_PUSH_BYTES) {
    const end = Math.min(body.length, offset + ZSTD_PUSH_BYTES);
    decompressor.push(body.subarray(offset, end), end === body.length);
    while (pending.length) yield pending.shift()!;
  }
}

async function* decompress(body: Uint8Array): AsyncGenerator<Uint8Array> {
  switch (detectMetadataCompression(body)) {
    case "none":
      yield body;
      return;
    case "gzip":
      for await (const chunk of Readable.from([body]).pipe(createGunzip())) yield chunk as Buffer;
      return;
    case "xz":
      yield* readWebStream(new XzReadableStream(new Blob([new Uint8Array(body)]).stream()));
      return;
    case "zstd":
      yield* decompressZstd(body);
      return;
    case "bzip2":
      throw new Error("bzip2 is not supported");
  }
}

/**
 * Decompressed bytes of a metadata file, chunk by chunk, so that a primary.xml of hundreds of MB
 * never sits in memory whole. Throws on corrupt input, naming the file (parsers turn that into a parse error).
 */
export async function* streamDecompressedMetadata(body: Uint8Array, fileName: string): AsyncGenerator<Uint8Array> {
  try {
    yield* decompress(body);
  } catch (error) {
    throw new Error(`${fileName}: cannot decompress: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function decompressMetadata(body: Uint8Array, fileName: string): Promise<DecompressMetadataResult> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of streamDecompressedMetadata(body, fileName)) chunks.push(chunk);
  } catch (error) {
    return { ok: false, error: { kind: "parse", message: (error as Error).message } };
  }
  return { ok: true, data: Buffer.concat(chunks) };
}
