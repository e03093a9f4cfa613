import { z } from "zod";
import { SilenceMatchers } from "../core/alerts/silence-matchers";

/** What an operator sends to create a silence; unknown fields are an error. Instants are ISO times (startsAt: now when absent). */
export const CreateSilenceRequest = z
  .strictObject({
    matchers: SilenceMatchers,
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    author: z.string().trim().min(1, "author is required").max(100, "author: at most 100 characters"),
    comment: z.string().trim().min(1, "comment is required: say why the alerts are silenced").max(1000, "comment: at most 1000 characters"),
  })
  .describe("A silence: at least one matcher, when it ends (at most 366 days after it starts), who and why.");
export type CreateSilenceRequest = z.infer<typeof CreateSilenceRequest>;
