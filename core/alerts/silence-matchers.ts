import { z } from "zod";
import { decodeStoredJson, encodeStoredJson, safeDecodeStoredJson } from "../stored-json";
import { ALERT_KINDS } from "./types";

/** Which alerts a silence keeps quiet: every matcher given must match; at least one is required. */
export const SilenceMatchers = z
  .object({
    mirrorId: z
      .string()
      .max(100)
      .regex(/^[a-z0-9][a-z0-9.-]*$/, "a mirror id: lower-case letters, digits, dots and dashes")
      .optional(),
    major: z.number().int().min(5).max(20).optional(),
    kind: z.enum(ALERT_KINDS).optional(),
  })
  .strict()
  .refine((matchers) => matchers.mirrorId !== undefined || matchers.major !== undefined || matchers.kind !== undefined, {
    message: "a silence needs at least one matcher (mirrorId, major or kind)",
  });
export type SilenceMatchers = z.infer<typeof SilenceMatchers>;

const COLUMN = "Silence.matchers";

export function encodeSilenceMatchers(matchers: SilenceMatchers): string {
  return encodeStoredJson(SilenceMatchers, "SilenceMatchers", matchers, { column: COLUMN });
}

export function decodeSilenceMatchers(text: string, silenceId: number): SilenceMatchers {
  return decodeStoredJson(SilenceMatchers, "SilenceMatchers", text, { column: COLUMN, rowId: silenceId });
}

/**
 * The matchers, or null when they no longer parse (the schema is strict: a matcher since dropped, such as an old
 * `packagePattern`, fails it). Such a silence silences nothing, and must not stop alerts from being evaluated or listed.
 */
export function safeDecodeSilenceMatchers(text: string): SilenceMatchers | null {
  return safeDecodeStoredJson(SilenceMatchers, text);
}
