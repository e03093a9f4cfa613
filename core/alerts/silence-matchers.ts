import { z } from "zod";
import { ALERT_KINDS } from "./types";

/** Which alerts a silence keeps quiet: every matcher given must match; at least one is required. */
export const SilenceMatchers = z
  .object({
    mirrorId: z.string().max(100).regex(/^[a-z0-9][a-z0-9.-]*$/, "a mirror id: lower-case letters, digits, dots and dashes").optional(),
    major: z.number().int().min(5).max(20).optional(),
    kind: z.enum(ALERT_KINDS).optional(),
  })
  .strict()
  .refine((matchers) => matchers.mirrorId !== undefined || matchers.major !== undefined || matchers.kind !== undefined, {
    message: "a silence needs at least one matcher (mirrorId, major or kind)",
  });
export type SilenceMatchers = z.infer<typeof SilenceMatchers>;
