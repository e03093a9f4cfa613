import { describe, expect, it } from "vitest";
import { encodePktLine, parsePktLines, parsePktPackets } from "./parse-pkt-lines";

describe("parsePktLines", () => {
  it("splits a protocol v2 capability advertisement", () => {
    const body = Buffer.from("000eversion 2\n0015agent=git/2.39.5\n0013ls-refs=unborn\n0000");

    expect(parsePktLines(body)).toEqual({
      ok: true,
      lines: [
        { type: "data", text: "version 2" },
        { type: "data", text: "agent=git/2.39.5" },
        { type: "data", text: "ls-refs=unborn" },
        { type: "flush" },
      ],
    });
  });

  it("keeps the NUL-separated capabilities of a v0 first ref line", () => {
    const line = "3971159f1a73c356cbec05aaf1fbfe757e297a6a refs/heads/c8\0multi_ack agent=git/2.39.5\n";
    const body = Buffer.concat([encodePktLine(line), Buffer.from("0000")]);

    const result = parsePktLines(body);

    expect(result.ok && result.lines[0]).toEqual({ type: "data", text: line.slice(0, -1) });
  });

  it("recognises delimiter and response-end packets", () => {
    expect(parsePktLines(Buffer.from("000100020000"))).toEqual({
      ok: true,
      lines: [{ type: "delim" }, { type: "response-end" }, { type: "flush" }],
    });
  });

  it("accepts an empty buffer", () => {
    expect(parsePktLines(Buffer.alloc(0))).toEqual({ ok: true, lines: [] });
  });

  it.each([
    ["an HTML page", "<!DOCTYPE html><html></html>"],
    ["a length under four", "0003"],
    ["a line running past the end", "0010short"],
    ["a truncated length", "000eversion 2\n00"],
    ["a dumb-HTTP info/refs", "3971159f1a73c356cbec05aaf1fbfe757e297a6a\trefs/heads/c8\n"],
  ])("rejects %s", (_label, text) => {
    expect(parsePktLines(Buffer.from(text))).toMatchObject({ ok: false });
  });
});

describe("parsePktPackets", () => {
  it("keeps a side-band packet's binary payload byte for byte", () => {
    const payload = Buffer.from([0x01, 0x50, 0x41, 0x43, 0x4b, 0x00, 0xff, 0x0a]);
    const body = Buffer.concat([
      Buffer.from("000dpackfile\n"),
      Buffer.from((payload.length + 4).toString(16).padStart(4, "0")),
      payload,
      Buffer.from("0000"),
    ]);

    const result = parsePktPackets(body);

    expect(result.ok && result.packets).toEqual([
      { type: "data", payload: Buffer.from("packfile\n") },
      { type: "data", payload },
      { type: "flush" },
    ]);
  });
});

describe("encodePktLine", () => {
  it("prefixes the length including itself and ends the line with LF", () => {
    expect(encodePktLine("command=ls-refs").toString()).toBe("0014command=ls-refs\n");
    expect(encodePktLine("peel\n").toString()).toBe("0009peel\n");
  });
});
