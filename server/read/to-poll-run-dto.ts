import "server-only";

import type { getDb } from "../db/client";
import type { PollRunDto } from "../../contract/poll-run-dto";
import { toPublicErrorMessage } from "./to-public-error-message";
import { getClockSpeed } from "../clock";

type PollRunRow = Awaited<ReturnType<ReturnType<typeof getDb>["pollRun"]["findMany"]>>[number];

export function toPollRunDto(row: PollRunRow): PollRunDto {
  return {
    id: String(row.id),
    sourceId: row.sourceId,
    sourceKind: row.sourceKind as PollRunDto["sourceKind"],
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationSeconds: row.finishedAt ? Math.max(0, (row.finishedAt.getTime() - row.startedAt.getTime()) / 1000 / getClockSpeed()) : null,
    outcome: row.outcome as PollRunDto["outcome"],
    requests: row.requests,
    notModified: row.notModified,
    bytes: row.bytes,
    items: row.items,
    errorKind: row.errorKind,
    errorMessage: toPublicErrorMessage(row.errorMessage),
    notes: (row.notes ?? "").split("\n").flatMap((note) => toPublicErrorMessage(note) || []),
  };
}
