/** zstd levels 1–19 never use a larger window; fzstd allocates it up front and shifts it after every block. */
export const ZSTD_MAX_WINDOW_BYTES = 8 * 1024 * 1024;

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

export interface ZstdWindowGuard {
  /**
   * Reads the next bytes of the stream: frame and block headers are decoded, block contents skipped (no decoding).
   * Returns a message when a frame declares a window larger than allowed, otherwise null — also when the bytes are
   * not zstd at all: fzstd then reports the corruption itself, and the guard stops looking.
   */
  check(chunk: Uint8Array): string | null;
}

function readLittleEndian(bytes: readonly number[], from: number, count: number): number {
  let value = 0;
  for (let index = from + count - 1; index >= from; index--) value = value * 256 + bytes[index];
  return value;
}

/**
 * Walks a zstd stream's frame headers as its bytes arrive, in chunks of any size, to refuse windows fzstd would
 * allocate and shift per block. Holds at most one header (≤ 14 bytes) between chunks.
 */
export function createZstdWindowGuard(maxWindowBytes: number): ZstdWindowGuard {
  let mode: "magic" | "skippable-size" | "frame-header" | "block-header" | "stopped" = "magic";
  let head: number[] = [];
  let skip = 0;
  let hasChecksum = false;

  return {
    check(chunk) {
      let offset = 0;
      while (offset < chunk.length && mode !== "stopped") {
        if (skip > 0) {
          const step = Math.min(skip, chunk.length - offset);
          skip -= step;
          offset += step;
          continue;
        }
        head.push(chunk[offset++]);
        switch (mode) {
          case "magic": {
            if (head.length < 4) break;
            const magic = readLittleEndian(head, 0, 4);
            head = [];
            if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) mode = "skippable-size";
            else mode = magic === FRAME_MAGIC ? "frame-header" : "stopped";
            break;
          }
          case "skippable-size":
            if (head.length < 4) break;
            skip = readLittleEndian(head, 0, 4);
            head = [];
            mode = "magic";
            break;
          case "frame-header": {
            const descriptor = head[0];
            const contentSizeFlag = descriptor >> 6;
            const isSingleSegment = (descriptor & 0x20) !== 0;
            const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3];
            const contentSizeBytes = [isSingleSegment ? 1 : 0, 2, 4, 8][contentSizeFlag];
            const windowDescriptorBytes = isSingleSegment ? 0 : 1;
            if (head.length < 1 + windowDescriptorBytes + dictionaryIdBytes + contentSizeBytes) break;
            let windowBytes: number;
            if (isSingleSegment) {
              windowBytes = readLittleEndian(head, 1 + dictionaryIdBytes, contentSizeBytes) + (contentSizeFlag === 1 ? 256 : 0);
            } else {
              const base = 2 ** (10 + (head[1] >> 3));
              windowBytes = base + (base / 8) * (head[1] & 7);
            }
            if (windowBytes > maxWindowBytes) {
              mode = "stopped";
              return `a zstd frame declares a ${windowBytes}-byte window, more than the ${maxWindowBytes} bytes allowed`;
            }
            hasChecksum = (descriptor & 0x04) !== 0;
            head = [];
            mode = "block-header";
            break;
          }
          case "block-header": {
            if (head.length < 3) break;
            const header = readLittleEndian(head, 0, 3);
            const type = (header >> 1) & 3;
            head = [];
            skip = type === 1 ? 1 : header >>> 3;
            if (header & 1) {
              skip += hasChecksum ? 4 : 0;
              mode = "magic";
            }
            break;
          }
        }
      }
      return null;
    },
  };
}
