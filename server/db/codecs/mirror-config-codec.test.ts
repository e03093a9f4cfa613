import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/load-config";
import { decodeMirrorConfig, encodeMirrorConfig } from "./mirror-config-codec";

describe("mirror config codec", () => {
  const { mirrors } = loadConfig("config/srcwatch.json");

  it("reads back every shipped mirror exactly, and encodes it to the same text again (the text tells a reconfigured mirror)", () => {
    for (const mirror of mirrors) {
      const text = encodeMirrorConfig(mirror);
      expect(text).toBe(JSON.stringify(mirror));
      expect(decodeMirrorConfig(text, mirror.id)).toEqual(mirror);
      expect(encodeMirrorConfig(decodeMirrorConfig(text, mirror.id))).toBe(text);
    }
  });

  it("names the column and the mirror of a stored config that is not a MirrorConfig", () => {
    expect(() => decodeMirrorConfig('{"kind":"ftp"}', "old-mirror")).toThrowError(
      /^Mirror\.config of row old-mirror: not a valid MirrorConfig: /,
    );
  });
});
