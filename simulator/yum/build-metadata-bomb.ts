import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants as zlibConstants, createGzip } from "node:zlib";

export type BombCompression = "zst" | "gz" | "xz";

/** A little more than the default maxDecompressedBytes (1 GiB), as the bomb. */
export const DEFAULT_BOMB_BYTES = 1024 * 1024 * 1024 + 64 * 1024 * 1024;

/** A primary.xml that is valid as far as it goes: its root opens, then only spaces follow, which a scanner skips. */
export const BOMB_PREFIX =
  '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" packages="1">\n';
const FILLER_BYTE = 0x20;
const ZSTD_BLOCK_BYTES = 128 * 1024;
const STREAM_CHUNK_BYTES = 1024 * 1024;

function writeBlockHeader(target: number[], isLast: boolean, type: 0 | 1, size: number): void {
  const header = (isLast ? 1 : 0) | (type << 1) | (size << 3);
  target.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
}

/**
 * One zstd frame built by hand: magic 28 B5 2F FD; frame header descriptor 0x00 (no content size, not single
 * segment, no checksum, no dictionary); window descriptor 0x38 (2^(10+7) = 128 KiB); one raw block (type 0)
 * with BOMB_PREFIX; then RLE blocks (type 1: 3-byte header, 1 byte repeated `size` ≤ 128 KiB times), the last
 * flagged. 4 bytes per 128 KiB: ~34 KB for 1 GiB.
 */
export function buildZstdBomb(decompressedBytes = DEFAULT_BOMB_BYTES): Buffer {
  const bytes: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
  const prefix = Buffer.from(BOMB_PREFIX);
  writeBlockHeader(bytes, false, 0, prefix.length);
  bytes.push(...prefix);
  let remaining = decompressedBytes - prefix.length;
  while (remaining > 0) {
    const size = Math.min(ZSTD_BLOCK_BYTES, remaining);
    remaining -= size;
    writeBlockHeader(bytes, remaining === 0, 1, size);
    bytes.push(FILLER_BYTE);
  }
  return Buffer.from(bytes);
}

function* generateBombContent(decompressedBytes: number): Generator<Buffer> {
  const prefix = Buffer.from(BOMB_PREFIX);
  yield prefix;
  const filler = Buffer.alloc(STREAM_CHUNK_BYTES, FILLER_BYTE);
  for (let remaining = decompressedBytes - prefix.length; remaining > 0; remaining -= filler.length) {
    yield remaining >= filler.length ? filler : filler.subarray(0, remaining);
  }
}

async function compressToFile(compression: "gz" | "xz", decompressedBytes: number, file: string): Promise<void> {
  const source = Readable.from(generateBombContent(decompressedBytes));
  if (compression === "gz") {
    await pipeline(source, createGzip({ level: zlibConstants.Z_BEST_COMPRESSION }), createWriteStream(file));
    return;
  }
  const xz = spawn("xz", ["--compress", "--stdout", "-0", "--threads=1"], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve, reject) => {
    xz.once("error", reject);
    xz.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`xz exited with ${code}`))));
  });
  await Promise.all([pipeline(source, xz.stdin), pipeline(xz.stdout, createWriteStream(file)), exited]);
}

/**
 * A gzip or xz file of `decompressedBytes` (BOMB_PREFIX then spaces), compressed once by streaming and kept
 * in the temp directory: building a 1 GiB one takes seconds of CPU, reading it back none.
 */
export async function buildCompressedBomb(compression: "gz" | "xz", decompressedBytes = DEFAULT_BOMB_BYTES): Promise<Buffer> {
  const dir = path.join(os.tmpdir(), "srcwatch-metadata-bombs");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `primary-${decompressedBytes}.xml.${compression}`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    await compressToFile(compression, decompressedBytes, partial);
    renameSync(partial, file);
  }
  return readFileSync(file);
}

export async function buildMetadataBomb(compression: BombCompression, decompressedBytes = DEFAULT_BOMB_BYTES): Promise<Buffer> {
  return compression === "zst" ? buildZstdBomb(decompressedBytes) : buildCompressedBomb(compression, decompressedBytes);
}

/** A primary.xml whose first `<package>` never closes: `decompressedBytes` of one element (gzip, built in memory). */
export function renderUnclosedElementPrimary(elementBytes: number): Buffer {
  const head = `${BOMB_PREFIX}<package type="rpm"><name>`;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, elementBytes - head.length), "a")]);
}
