import "server-only";

import { Counter, Gauge, Registry, type Metric } from "prom-client";
import type { SrcwatchConfig } from "../../core/config";
import { percentile } from "../../core/lag-stats";
import { VERDICT_STATUSES } from "../../core/types";
import { getClock } from "../clock";
import { getConfig } from "../config/get-config";
import { getDb, type Db } from "../db/client";
import { createEmptyVerdictCounts, listMirrorMajors, listMirrorMajorStats, mirrorMajorKey } from "../read/list-mirror-major-stats";

export const LAG_QUANTILES = [0.5, 0.9, 0.99] as const;

interface MetricContext {
  db: Db;
  config: SrcwatchConfig;
  now: Date;
}

type MetricCollector = (context: MetricContext) => Promise<Metric[]>;

/** Metrics are built per scrape into a fresh Registry, never the global one: nothing survives a Next hot reload. */
export async function collectMetrics(): Promise<{ contentType: string; text: string }> {
  const context: MetricContext = { db: getDb(), config: getConfig(), now: getClock().now() };
  const collectors: MetricCollector[] = [
    collectPollRunMetrics,
    collectSourceStateMetrics,
    collectVerdictMetrics,
    collectAdvisoryMetrics,
    collectOutboxMetrics,
  ];
  const metricLists = await Promise.all(collectors.map((collect) => collect(context)));
  const registry = new Registry();
  for (const metric of metricLists.flat()) registry.registerMetric(metric);
  return { contentType: registry.contentType, text: await registry.metrics() };
}

function listSourceIds(config: SrcwatchConfig): string[] {
  return [...config.upstreams, ...config.mirrors].map((source) => source.id);
}

async function collectPollRunMetrics({ db }: MetricContext): Promise<Metric[]> {
  const [runCounts, errorCounts] = await Promise.all([
    db.pollRun.groupBy({ by: ["sourceId", "outcome"], where: { outcome: { not: "running" } }, _count: { _all: true } }),
    db.pollRun.groupBy({ by: ["sourceId", "errorKind"], where: { errorKind: { not: null } }, _count: { _all: true } }),
  ]);
  const runs = new Counter({
    name: "srcwatch_poll_runs_total",
    help: "Finished polls per source, by outcome (success, partial, failed).",
    labelNames: ["source", "outcome"] as const,
    registers: [],
  });
  for (const row of runCounts) runs.inc({ source: row.sourceId, outcome: row.outcome }, row._count._all);
  const errors = new Counter({
    name: "srcwatch_poll_errors_total",
    help: "Polls that ended with an error (failed, or partial with failed items), by the kind of the error.",
    labelNames: ["source", "kind"] as const,
    registers: [],
  });
  for (const row of errorCounts) errors.inc({ source: row.sourceId, kind: row.errorKind ?? "unknown" }, row._count._all);
  return [runs, errors];
}

async function collectSourceStateMetrics({ db, config }: MetricContext): Promise<Metric[]> {
  const sourceIds = listSourceIds(config);
  const states = await db.sourceState.findMany({
    where: { sourceId: { in: sourceIds } },
    select: { sourceId: true, lastSuccessAt: true, consecutiveFailures: true },
  });
  const stateById = new Map(states.map((state) => [state.sourceId, state]));
  const lastSuccess = new Gauge({
    name: "srcwatch_source_last_success_timestamp_seconds",
    help: "Unix time of the source's last successful poll; 0 when it never succeeded.",
    labelNames: ["source"] as const,
    registers: [],
  });
  const failures = new Gauge({
    name: "srcwatch_source_consecutive_failures",
    help: "Failed polls of the source since its last success.",
    labelNames: ["source"] as const,
    registers: [],
  });
  for (const sourceId of sourceIds) {
    const state = stateById.get(sourceId);
    lastSuccess.set({ source: sourceId }, state?.lastSuccessAt ? state.lastSuccessAt.getTime() / 1000 : 0);
    failures.set({ source: sourceId }, state?.consecutiveFailures ?? 0);
  }
  return [lastSuccess, failures];
}

async function collectVerdictMetrics({ config }: MetricContext): Promise<Metric[]> {
  const { countsByKey, lagsByKey } = await listMirrorMajorStats();
  const verdicts = new Gauge({
    name: "srcwatch_verdicts",
    help: "Advisories by their worst verdict on the mirror, per RHEL major (as the dashboard and badges count them).",
    labelNames: ["mirror", "major", "status"] as const,
    registers: [],
  });
  const lags = new Gauge({
    name: "srcwatch_lag_seconds",
    help: "Quantiles of the published lag per advisory (its slowest published package), per mirror and RHEL major.",
    labelNames: ["mirror", "major", "quantile"] as const,
    registers: [],
  });
  for (const mirror of config.mirrors) {
    for (const major of listMirrorMajors(mirror, countsByKey)) {
      const key = mirrorMajorKey(mirror.id, major);
      const counts = countsByKey.get(key) ?? createEmptyVerdictCounts();
      for (const status of VERDICT_STATUSES) verdicts.set({ mirror: mirror.id, major: String(major), status }, counts[status]);
      const publishedLags = lagsByKey.get(key) ?? [];
      if (publishedLags.length === 0) continue;
      for (const quantile of LAG_QUANTILES) {
        lags.set(
          { mirror: mirror.id, major: String(major), quantile: String(quantile) },
          Math.round(percentile(publishedLags, quantile * 100)),
        );
      }
    }
  }
  return [verdicts, lags];
}

async function collectAdvisoryMetrics({ db }: MetricContext): Promise<Metric[]> {
  const advisories = new Gauge({ name: "srcwatch_advisories", help: "Advisories tracked.", registers: [] });
  advisories.set(await db.advisory.count());
  return [advisories];
}

export const OUTBOX_STATUSES = ["pending", "sending", "held", "sent", "failed", "bundled", "cancelled"] as const;

export async function collectOutboxMetrics({ db, now }: Pick<MetricContext, "db" | "now">): Promise<Metric[]> {
  const [counts, oldest] = await Promise.all([
    db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } }),
    db.outboxMessage.findFirst({
      where: { status: { in: ["pending", "sending"] } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
  ]);
  const depth = new Gauge({
    name: "srcwatch_outbox_depth",
    help: "Notifications in the outbox, by status (pending, sending, held for a digest, sent, failed, bundled, cancelled).",
    labelNames: ["status"] as const,
    registers: [],
  });
  const countByStatus = new Map(counts.map((row) => [row.status, row._count._all]));
  for (const status of new Set([...OUTBOX_STATUSES, ...countByStatus.keys()])) depth.set({ status }, countByStatus.get(status) ?? 0);
  const oldestPending = new Gauge({
    name: "srcwatch_outbox_oldest_pending_seconds",
    help: "Age of the oldest notification not yet delivered (pending or being sent); 0 when none waits.",
    registers: [],
  });
  oldestPending.set(oldest ? Math.max(0, Math.round((now.getTime() - oldest.createdAt.getTime()) / 1000)) : 0);
  return [depth, oldestPending];
}
