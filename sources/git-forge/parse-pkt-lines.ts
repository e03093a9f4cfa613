/** Git's pkt-line framing (gitprotocol-common(5)): 4 hex digits of length (itself included), then the payload. */
export type PktLine = { type: "data"; text: string } | { type: "flush" } | { type: "delim" } | { type: "response-end" };

/** A pkt-line with its payload as bytes: packfile data and side-band packets are binary. */
export type PktPacket = { type: "data"; payload: Buffer } | { type: "flush" } | { type: "delim" } | { type: "response-end" };

const MAX_PKT_LENGTH = 65520;
const SPECIAL_PKTS: Record<string, PktPacket> = {
  "0000": { type: "flush" },
  "0001": { type: "delim" },
  "0002": { type: "response-end" },
};

export const FLUSH_PKT = Buffer.from("0000");
export const DELIM_PKT = Buffer.from("0001");

/** Splits a whole buffer into pkt-lines, payloads kept as bytes. */
export function parsePktPackets(buffer: Buffer): { ok: true; packets: PktPacket[] } | { ok: false; message: string } {
  const packets: PktPacket[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) return { ok: false, message: `truncated pkt-line length at byte ${offset}` };
    const header = buffer.toString("latin1", offset, offset + 4);
    if (!/^[0-9a-f]{4}$/i.test(header)) {
      return { ok: false, message: `invalid pkt-line length (not four hex digits) at byte ${offset}` };
    }
    const special = SPECIAL_PKTS[header];
    if (special) {
      packets.push(special);
      offset += 4;
      continue;
    }
    const length = Number.parseInt(header, 16);
    if (length < 4 || length > MAX_PKT_LENGTH) return { ok: false, message: `invalid pkt-line length ${length} at byte ${offset}` };
    if (offset + length > buffer.length) return { ok: false, message: `pkt-line at byte ${offset} runs past the end of the data` };
    packets.push({ type: "data", payload: buffer.subarray(offset + 4, offset + length) });
    offset += length;
  }
  return { ok: true, packets };
}

/** Splits a whole buffer into pkt-lines; a data line's text loses its trailing LF. */
export function parsePktLines(buffer: Buffer): { ok: true; lines: PktLine[] } | { ok: false; message: string } {
  const parsed = parsePktPackets(buffer);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    lines: parsed.packets.map((packet) => (packet.type === "data" ? { type: "data", text: toLineText(packet.payload) } : packet)),
  };
}

/** A text pkt-line's payload without its trailing LF. */
export function toLineText(payload: Buffer): string {
  const text = payload.toString("utf8");
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

export function encodePktLine(text: string): Buffer {
  const payload = Buffer.from(text.endsWith("\n") ? text : `${text}\n`, "utf8");
  return Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, "0")), payload]);
}
