import { z } from "zod";
import { Instant } from "./common";

/** Poll runs of every source. */

export const PollRunDto = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    sourceKind: z.enum(["upstream", "mirror"]),
    startedAt: Instant,
    finishedAt: Instant.nullable(),
    durationSeconds: z
      .number()
      .min(0)
      .nullable()
      .describe("How long the poll took, in real seconds (a demo's fast clock does not stretch it); null while it runs."),
    outcome: z.enum(["running", "success", "partial", "failed"]),
    requests: z.number().int().min(0),
    notModified: z.number().int().min(0).describe("Requests answered 304 Not Modified."),
    bytes: z.number().int().min(0),
    items: z.number().int().min(0),
    errorKind: z.string().nullable(),
    errorMessage: z.string().nullable(),
    notes: z
      .array(z.string())
      .describe(
        "What the poll says of how it went, a line each: e.g. whether a first sync read Red Hat's archive or fetched every document.",
      ),
  })
  .describe("One poll of one source.");
export type PollRunDto = z.infer<typeof PollRunDto>;

export const PollRunsResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    items: z.array(PollRunDto).describe("Newest first."),
  })
  .describe("The latest poll runs.");
export type PollRunsResponse = z.infer<typeof PollRunsResponse>;

export const PollRunsQuery = z.object({
  source: z.string().min(1).optional().describe("A mirror or upstream id."),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type PollRunsQuery = z.infer<typeof PollRunsQuery>;
