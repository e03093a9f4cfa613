import { Decompress as ZstdDecompress } from "fzstd";
import { createEventLoopYielder } from "../yum-repo/create-event-loop-yielder";
import { createZstdWindowGuard } from "./zstd-window-guard";

/**
 * fzstd decodes every complete block of a push synchronously; an RLE block is 4 input bytes for 128 KiB of output,
 * so a push of 256 bytes yields at most 8 MiB before the loop can count, stop or yield.
 */
const ZSTD_PUSH_BYTES = 256;

export class ZstdStreamError extends Error {
  constructor(
    readonly kind: "parse" | "too_large",
    message: string,
    /** For too_large: which limit was passed. */
    readonly limit?: "window" | "decompressed",
  ) {
    super(message);
    this.name = "ZstdStreamError";
  }
}

/**
 * A zstd stream decoded as its compressed chunks arrive (an archive of hundreds of MB never sits in memory whole).
 * Frames may follow one another; each is checked for its window before fzstd allocates it. More than
 * `maxDecompressedBytes` in all, a window over `maxWindowBytes` or a stream that ends inside a frame throws a
 * ZstdStreamError; errors of the compressed source pass through as they are.
 */
export async function* streamUnzstd(
  compressed: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: { maxDecompressedBytes: number; maxWindowBytes: number },
): AsyncGenerator<Uint8Array> {
  const guard = createZstdWindowGuard(limits.maxWindowBytes);
  const yieldToEventLoop = createEventLoopYielder();
  const pending: Uint8Array[] = [];
  let decoded = 0;
  let sawInput = false;
  const decompressor = new ZstdDecompress((chunk) => {
    decoded += chunk.length;
    if (decoded > limits.maxDecompressedBytes) {
      throw new ZstdStreamError("too_large", `more than ${limits.maxDecompressedBytes} bytes once decompressed`, "decompressed");
    }
    pending.push(chunk);
  });
  const push = (bytes: Uint8Array, isLast: boolean) => {
    try {
      decompressor.push(bytes, isLast);
    } catch (error) {
      if (error instanceof ZstdStreamError) throw error;
      throw new ZstdStreamError("parse", `cannot decompress: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for await (const chunk of compressed) {
    if (chunk.length === 0) continue;
    sawInput = true;
    const problem = guard.check(chunk);
    if (problem) throw new ZstdStreamError("too_large", problem, "window");
    for (let offset = 0; offset < chunk.length; offset += ZSTD_PUSH_BYTES) {
      push(chunk.subarray(offset, Math.min(chunk.length, offset + ZSTD_PUSH_BYTES)), false);
      while (pending.length) yield pending.shift()!;
      await yieldToEventLoop();
    }
  }
  if (!sawInput) throw new ZstdStreamError("parse", "cannot decompress: the stream is empty");
  push(new Uint8Array(0), true);
  while (pending.length) yield pending.shift()!;
}
