import { createHash } from "node:crypto";
import { getLogger } from "@/server/logger";
import { FileAnswer } from "./file-answer";

/** A file up to this many characters (about 1 MB) is answered from memory, as read; a larger one is streamed. */
const MAX_HELD_CHARS = 1 << 20;

/** The parts `produce()` gives, sent as they are read: memory holds one part, whatever the file's size. */
function openStream(produce: () => AsyncGenerator<string, unknown, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let parts: AsyncGenerator<string, unknown, undefined> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      parts ??= produce();
      try {
        const next = await parts.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // The status and headers are sent: the client sees a cut download, the log says why.
        getLogger().error({ err: error }, "streamed download failed");
        controller.error(error);
      }
    },
    async cancel() {
      await parts?.return(undefined);
    },
  });
}

/**
 * A download of any size with an ETag known before its first byte: `produce` is read once to hash it (and `describe`
 * names the file from what the generator returns). A small file is then answered from memory, exactly as read, with the
 * strong ETag of its bytes. A larger one is produced again as it is sent, so its ETag is weak: a part whose data changed
 * in between is sent as it is then.
 */
export async function prepareFileAnswer<S>(
  produce: () => AsyncGenerator<string, S, undefined>,
  describe: (summary: S) => FileAnswer["file"],
  options: { maxHeldChars?: number } = {},
): Promise<FileAnswer> {
  const maxHeldChars = options.maxHeldChars ?? MAX_HELD_CHARS;
  const hash = createHash("sha256");
  let held: string[] | null = [];
  let heldChars = 0;
  const parts = produce();
  let next = await parts.next();
  for (; !next.done; next = await parts.next()) {
    hash.update(next.value);
    heldChars += next.value.length;
    if (held && heldChars <= maxHeldChars) held.push(next.value);
    else held = null;
  }
  const file = describe(next.value);
  if (held) return new FileAnswer(held.join(""), file);
  return new FileAnswer({ etag: `W/"${hash.digest("base64url")}"`, open: () => openStream(produce) }, file);
}
