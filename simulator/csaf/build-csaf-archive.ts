import { compress, init } from "@bokuweb/zstd-wasm";
import { Header } from "tar";

const BLOCK_BYTES = 512;
let ready: Promise<void> | undefined;

export interface ArchiveFile {
  /** `2023/rhsa-2023_3722.json` */
  path: string;
  body: Buffer;
  mtime: Date;
}

function tarBlock(header: Header): Buffer {
  const block = Buffer.alloc(BLOCK_BYTES);
  header.encode(block, 0);
  return block;
}

/** The files as one ustar stream, each year's directory before its files, as `tar -c` writes a tree. */
export function buildTar(files: readonly ArchiveFile[]): Buffer {
  const parts: Buffer[] = [];
  const directories = new Set<string>();
  for (const file of files) {
    const directory = file.path.includes("/") ? `${file.path.slice(0, file.path.lastIndexOf("/"))}/` : null;
    if (directory && !directories.has(directory)) {
      directories.add(directory);
      parts.push(tarBlock(new Header({ path: directory, type: "Directory", mode: 0o755, size: 0, mtime: file.mtime, uid: 0, gid: 0 })));
    }
    parts.push(
      tarBlock(new Header({ path: file.path, type: "File", mode: 0o644, size: file.body.length, mtime: file.mtime, uid: 0, gid: 0 })),
    );
    parts.push(file.body);
    const padding = (BLOCK_BYTES - (file.body.length % BLOCK_BYTES)) % BLOCK_BYTES;
    if (padding) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * BLOCK_BYTES));
  return Buffer.concat(parts);
}

/** zstd (libzstd compiled to WebAssembly, level 3 as the `zstd` command's default) of a buffer. */
export async function compressZstd(data: Buffer, level = 3): Promise<Buffer> {
  ready ??= init();
  await ready;
  return Buffer.from(compress(data, level));
}

/** `csaf_advisories_<date>.tar.zst` as Red Hat publishes it: the feed's documents in a zstd-compressed tar. */
export async function buildCsafArchive(files: readonly ArchiveFile[]): Promise<Buffer> {
  return compressZstd(buildTar(files));
}
