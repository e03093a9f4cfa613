import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";

export type GitObjectType = "commit" | "tree" | "blob" | "tag";

export interface GitObject {
  type: GitObjectType;
  content: Buffer;
}

const OBJECT_TYPES: Record<number, GitObjectType> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Tags and commits are kept (they carry the times); a bigger one is not an import tag. */
const MAX_KEPT_OBJECT_BYTES = 1024 * 1024;
/** Trees and blobs (a fetch without `filter`) are inflated only to find where the next object starts. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

interface KeptObject extends GitObject {
  oid: string;
}

interface PendingDelta {
  offset: number;
  baseOffset: number | null;
  baseOid: string | null;
  delta: Buffer;
}

/**
 * The tag and commit objects of a PACK v2/v3 (gitformat-pack(5)), by object id: each object is inflated with its
 * declared size as the output cap, deltas are resolved against tags and commits of the same pack, and reading stops
 * once every wanted id is found. isomorphic-git's pack reader inflates without a cap, so it is not used here.
 */
export function readPackObjects(
  pack: Buffer,
  options: { wantedOids: ReadonlySet<string> },
): { ok: true; objects: Map<string, GitObject> } | { ok: false; message: string } {
  if (pack.length < 12 || pack.toString("latin1", 0, 4) !== "PACK") return { ok: false, message: "no PACK signature" };
  const version = pack.readUInt32BE(4);
  if (version !== 2 && version !== 3) return { ok: false, message: `unsupported pack version ${version}` };
  const count = pack.readUInt32BE(8);
  if (count > pack.length) return { ok: false, message: `pack declares ${count} objects in ${pack.length} bytes` };
  const hashName = [...options.wantedOids].some((oid) => oid.length === 64) ? "sha256" : "sha1";
  const oidBytes = hashName === "sha256" ? 32 : 20;

  const keptByOffset = new Map<number, KeptObject>();
  const keptOffsetByOid = new Map<string, number>();
  const objects = new Map<string, GitObject>();
  /** Deltas whose base is not kept yet, by the base's offset (`@123`) or id: a REF_DELTA may name a later object. */
  const waitingByBase = new Map<string, PendingDelta[]>();
  const ready: PendingDelta[] = [];
  let inflatedBytes = 0;
  let position = 12;

  const keep = (offset: number, type: GitObjectType, content: Buffer) => {
    const oid = createHash(hashName).update(`${type} ${content.length}\0`).update(content).digest("hex");
    keptByOffset.set(offset, { oid, type, content });
    keptOffsetByOid.set(oid, offset);
    if (options.wantedOids.has(oid)) objects.set(oid, { type, content });
    for (const key of [`@${offset}`, oid]) {
      for (const delta of waitingByBase.get(key) ?? []) ready.push(delta);
      waitingByBase.delete(key);
    }
  };
  /** Resolves the ready deltas and, as their bases appear, the deltas waiting for them, each once; an error message or null. */
  const resolveReady = (): string | null => {
    for (let delta = ready.pop(); delta; delta = ready.pop()) {
      const baseOffset = delta.baseOffset ?? keptOffsetByOid.get(delta.baseOid ?? "");
      const base = baseOffset === undefined ? undefined : keptByOffset.get(baseOffset);
      if (!base) {
        const key = delta.baseOffset === null ? (delta.baseOid ?? "") : `@${delta.baseOffset}`;
        const waiting = waitingByBase.get(key);
        if (waiting) waiting.push(delta);
        else waitingByBase.set(key, [delta]);
        continue;
      }
      const applied = applyDelta(base.content, delta.delta);
      if (typeof applied === "string") return `delta at byte ${delta.offset}: ${applied}`;
      keep(delta.offset, base.type, applied);
    }
    return null;
  };

  for (let index = 0; index < count && objects.size < options.wantedOids.size; index++) {
    const offset = position;
    if (position >= pack.length) return { ok: false, message: `pack ends before object ${index + 1} of ${count}` };
    let byte = pack[position++];
    const typeCode = (byte >> 4) & 0b111;
    let size = byte & 0b1111;
    let multiplier = 16;
    while (byte & 0x80) {
      if (position >= pack.length || multiplier > 2 ** 35) return { ok: false, message: `bad object header at byte ${offset}` };
      byte = pack[position++];
      size += (byte & 0x7f) * multiplier;
      multiplier *= 128;
    }
    let baseOffset: number | null = null;
    let baseOid: string | null = null;
    if (typeCode === OFS_DELTA) {
      if (position >= pack.length) return { ok: false, message: `bad delta offset at byte ${offset}` };
      byte = pack[position++];
      let distance = byte & 0x7f;
      while (byte & 0x80) {
        if (position >= pack.length || distance > 2 ** 40) return { ok: false, message: `bad delta offset at byte ${offset}` };
        byte = pack[position++];
        distance = (distance + 1) * 128 + (byte & 0x7f);
      }
      baseOffset = offset - distance;
      if (baseOffset < 12) return { ok: false, message: `delta at byte ${offset} points before the pack` };
    } else if (typeCode === REF_DELTA) {
      if (position + oidBytes > pack.length) return { ok: false, message: `bad delta base at byte ${offset}` };
      baseOid = pack.toString("hex", position, position + oidBytes);
      position += oidBytes;
    } else if (!OBJECT_TYPES[typeCode]) {
      return { ok: false, message: `unknown object type ${typeCode} at byte ${offset}` };
    }
    if (size > MAX_OBJECT_BYTES || inflatedBytes + size > MAX_INFLATED_BYTES) {
      return { ok: false, message: `object at byte ${offset} declares ${size} bytes, over the limit` };
    }
    let content: Buffer;
    try {
      const inflated = inflateSync(pack.subarray(position), { info: true, maxOutputLength: Math.max(size, 1) }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      content = inflated.buffer;
      position += inflated.engine.bytesWritten;
    } catch {
      return { ok: false, message: `object at byte ${offset} does not inflate to its declared ${size} bytes` };
    }
    if (content.length !== size) return { ok: false, message: `object at byte ${offset} inflates to ${content.length} bytes, not ${size}` };
    inflatedBytes += size;

    const type = OBJECT_TYPES[typeCode];
    if (size > MAX_KEPT_OBJECT_BYTES) continue;
    if (type === "tag" || type === "commit") keep(offset, type, content);
    else if (!type) ready.push({ offset, baseOffset, baseOid, delta: content });
    const problem = resolveReady();
    if (problem !== null) return { ok: false, message: problem };
  }
  return { ok: true, objects };
}

/** Applies a git delta (copy and insert instructions) to its base; a string says why it is malformed. */
function applyDelta(base: Buffer, delta: Buffer): Buffer | string {
  let position = 0;
  const readSize = (): number | null => {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      if (position >= delta.length || multiplier > 2 ** 35) return null;
      const byte = delta[position++];
      value += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if (!(byte & 0x80)) return value;
    }
  };
  const baseSize = readSize();
  const targetSize = readSize();
  if (baseSize === null || targetSize === null) return "truncated header";
  if (baseSize !== base.length) return `base is ${base.length} bytes, the delta expects ${baseSize}`;
  if (targetSize > MAX_KEPT_OBJECT_BYTES) return `result of ${targetSize} bytes is over the limit`;
  const target = Buffer.alloc(targetSize);
  let written = 0;
  while (position < delta.length) {
    const opcode = delta[position++];
    if (opcode & 0x80) {
      let copyOffset = 0;
      let copySize = 0;
      for (let bit = 0; bit < 4; bit++) {
        if (opcode & (1 << bit)) {
          if (position >= delta.length) return "truncated copy";
          copyOffset += delta[position++] * 2 ** (8 * bit);
        }
      }
      for (let bit = 0; bit < 3; bit++) {
        if (opcode & (0x10 << bit)) {
          if (position >= delta.length) return "truncated copy";
          copySize += delta[position++] * 2 ** (8 * bit);
        }
      }
      if (copySize === 0) copySize = 0x10000;
      if (copyOffset + copySize > base.length || written + copySize > targetSize) return "copy out of bounds";
      base.copy(target, written, copyOffset, copyOffset + copySize);
      written += copySize;
    } else if (opcode > 0) {
      if (position + opcode > delta.length || written + opcode > targetSize) return "insert out of bounds";
      delta.copy(target, written, position, position + opcode);
      position += opcode;
      written += opcode;
    } else {
      return "reserved opcode 0";
    }
  }
  return written === targetSize ? target : `result is ${written} bytes, not ${targetSize}`;
}
