import { z } from "zod";
import * as alertDto from "../read/alert-dto";
import { AlertDetailResponse, AlertListQuery, AlertListResponse } from "../read/alert-dto";
import * as dto from "../read/dto";
import * as missingReportDto from "../read/missing-report-dto";
import * as mirrorHistoryDto from "../read/mirror-history-dto";
import { MirrorHistoryQuery, MirrorHistoryResponse } from "../read/mirror-history-dto";
import { MissingReportCsv, MissingReportFilters, MissingReportQuery, MissingReportResponse } from "../read/missing-report-dto";
import * as packageHistoryDto from "../read/package-history-dto";
import { PackageHistoryResponse } from "../read/package-history-dto";
import * as searchDto from "../read/search-dto";
import { SearchQuery, SearchResponse } from "../read/search-dto";
import {
  AdvisoryDetailResponse,
  AdvisoryListQuery,
  AdvisoryListResponse,
  MirrorsResponse,
  PollRunsQuery,
  PollRunsResponse,
  SummaryResponse,
} from "../read/dto";

/*
 * Every /api/v1 endpoint, the source of the OpenAPI document (server/api/openapi-document.ts).
 * To add one: add an entry with the query schema its route handler parses, its response schema, the error
 * statuses it answers, and examples. Schemas exported by a module of API_SCHEMA_MODULES keep their export name in
 * the document (add yours there); others are inlined.
 * test/integration/api-contract.test.ts calls every example and checks the answer against the served document;
 * it fails for a route file without an entry and for a documented status that no example shows.
 */

export interface ApiExample {
  /** Values as they appear in the URL, before percent-encoding. */
  query?: Record<string, string>;
  params?: Record<string, string>;
  status: number;
}

export interface ApiEndpoint {
  /** OpenAPI style, e.g. /api/v1/advisories/{id}; GET only. */
  path: string;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  /** Path parameter → its description. */
  pathParams?: Record<string, string>;
  response: z.ZodType;
  /** Media types of the 200 answer; application/json when absent. Errors are always JSON (ApiErrorBody). */
  contentTypes?: string[];
  errors: number[];
  examples: ApiExample[];
}

/** Modules whose exported zod schemas become named components when a response uses them. */
export const API_SCHEMA_MODULES: Record<string, unknown>[] = [dto, missingReportDto, packageHistoryDto, searchDto, mirrorHistoryDto, alertDto];

export const OpenApiDocumentResponse = z.looseObject({ openapi: z.string() }).describe("An OpenAPI 3.1 document.");

const EXAMPLE_ADVISORY_ID = "RHSA-2023:3425";
/** The contract test writes an alert with this id (the alert engine numbers its own from 1). */
export const EXAMPLE_ALERT_ID = 4242;

export const API_ENDPOINTS: ApiEndpoint[] = [
  {
    path: "/api/v1/summary",
    summary: "Verdict counts per mirror and RHEL major, with source health and sync progress",
    response: SummaryResponse,
    errors: [400],
    examples: [{ status: 200 }, { query: { major: "8" }, status: 400 }],
  },
  {
    path: "/api/v1/advisories",
    summary: "Advisories with their status per mirror: filters, search, sort and pages",
    query: AdvisoryListQuery,
    response: AdvisoryListResponse,
    errors: [400],
    examples: [
      { status: 200 },
      { query: { verdict: "missing", mirror: "git.centos.org", major: "8", pageSize: "2", order: "asc" }, status: 200 },
      { query: { verdict: "published,pending", major: "9", sort: "id", page: "2", pageSize: "5" }, status: 200 },
      { query: { severity: "Important,Critical", type: "security" }, status: 200 },
      { query: { q: "cups-filters" }, status: 200 },
      { query: { page: "1000" }, status: 200 },
      { query: { verdict: "gone" }, status: 400 },
      { query: { pageSize: "5000" }, status: 400 },
      { query: { verdcit: "missing" }, status: 400 },
    ],
  },
  {
    path: "/api/v1/advisories/{id}",
    summary: "One advisory: every package's verdict, lag and evidence on every mirror",
    pathParams: { id: 'An advisory id, e.g. "RHSA-2023:3722".' },
    response: AdvisoryDetailResponse,
    errors: [400, 404],
    examples: [
      { params: { id: EXAMPLE_ADVISORY_ID }, status: 200 },
      { params: { id: EXAMPLE_ADVISORY_ID }, query: { verbose: "1" }, status: 400 },
      { params: { id: "RHSA-1999:0001" }, status: 404 },
    ],
  },
  {
    path: "/api/v1/mirrors",
    summary: "Configured mirrors and upstreams with their polling health",
    response: MirrorsResponse,
    errors: [400],
    examples: [{ status: 200 }, { query: { mirror: "git.centos.org" }, status: 400 }],
  },
  {
    path: "/api/v1/mirrors/{id}",
    summary: "One mirror's history: health, carried updates released vs published per week or month, lag percentiles, when it stopped publishing, recent poll runs and poll coverage",
    description:
      "An advisory counts once per mirror and is published when all its packages there are, at its slowest package's evidence time. " +
      "Poll coverage cells with no poll are `gap` (no data), never `ok`.",
    pathParams: { id: 'A configured mirror id, e.g. "git.centos.org".' },
    query: MirrorHistoryQuery,
    response: MirrorHistoryResponse,
    errors: [400, 404],
    examples: [
      { params: { id: "git.centos.org" }, status: 200 },
      { params: { id: "git.centos.org" }, query: { bucket: "month", stopAfterUpdates: "10" }, status: 200 },
      { params: { id: "git.centos.org" }, query: { bucket: "year" }, status: 400 },
      { params: { id: "no-such-mirror" }, status: 404 },
    ],
  },
  {
    path: "/api/v1/poll-runs",
    summary: "The latest poll runs, newest first",
    query: PollRunsQuery,
    response: PollRunsResponse,
    errors: [400],
    examples: [
      { status: 200 },
      { query: { source: "redhat-csaf", limit: "2" }, status: 200 },
      { query: { source: "no-such-source" }, status: 200 },
      { query: { limit: "0" }, status: 400 },
    ],
  },
  {
    path: "/api/v1/reports/missing",
    summary: "The missing-update report: advisory × mirror delayed or missing, with age and where the sources are available instead",
    description: "Oldest first. `from` and `to` are UTC days of the advisory's issuedAt, both included; `total` counts rows over all pages.",
    query: MissingReportQuery,
    response: MissingReportResponse,
    errors: [400],
    examples: [
      { status: 200 },
      { query: { mirror: "git.centos.org", major: "8", from: "2023-06-01", to: "2023-07-31" }, status: 200 },
      { query: { severity: "Important,Critical", type: "security", pageSize: "2", page: "2" }, status: 200 },
      { query: { from: "2023-13-45" }, status: 400 },
      { query: { from: "2023-07-01", to: "2023-06-01" }, status: 400 },
    ],
  },
  {
    path: "/api/v1/reports/missing.csv",
    summary: "The missing-update report as a CSV attachment (every row, up to 50 000; X-Total-Count tells the total)",
    query: MissingReportFilters,
    response: MissingReportCsv,
    contentTypes: ["text/csv"],
    errors: [400],
    examples: [
      { query: { mirror: "git.centos.org", major: "8", from: "2023-06-01", to: "2023-07-31" }, status: 200 },
      { query: { page: "2" }, status: 400 },
    ],
  },
  {
    path: "/api/v1/packages/{name}",
    summary: "One source package's history: every advisory that shipped it, across RHEL majors, with its verdict per mirror",
    pathParams: { name: 'A source package name, e.g. "cups-filters".' },
    response: PackageHistoryResponse,
    errors: [400, 404],
    examples: [
      { params: { name: "cups-filters" }, status: 200 },
      { params: { name: "cups-filters" }, query: { major: "8" }, status: 400 },
      { params: { name: "no-such-package" }, status: 404 },
    ],
  },
  {
    path: "/api/v1/search",
    summary: "Search by advisory id (RHSA-2023:3722, rhsa-2023_3722, 2023:3722), CVE, package name or NEVRA",
    description: "`exactAdvisoryId` is set when the text names exactly one advisory.",
    query: SearchQuery,
    response: SearchResponse,
    errors: [400],
    examples: [
      { query: { q: EXAMPLE_ADVISORY_ID }, status: 200 },
      { query: { q: "cve-2023-24805" }, status: 200 },
      { query: { q: "cups-filters" }, status: 200 },
      { query: { q: "cups-filters-1.20.0-29.el8_8.2.src.rpm" }, status: 200 },
      { status: 400 },
    ],
  },
  {
    path: "/api/v1/alerts",
    summary: "Alerts, firing and resolved: filters by status, mirror, RHEL major, kind and time window; firing first, then newest",
    description:
      "`silenced`: an active silence matches a firing alert (it is listed but not notified). `inhibitedById`: the publishing_stopped alert a " +
      "per-update alert is folded into. `since` / `until` keep the alerts whose firing overlaps that window. The same alerts as an Atom feed: /feeds/alerts.atom.",
    query: AlertListQuery,
    response: AlertListResponse,
    errors: [400],
    examples: [
      { status: 200 },
      { query: { status: "firing", mirror: "git.centos.org", major: "8" }, status: 200 },
      { query: { kind: "publishing_stopped,update_missing", since: "2023-06-01T00:00:00Z", until: "2023-07-01T00:00:00Z", pageSize: "10" }, status: 200 },
      { query: { status: "resolved", page: "2", pageSize: "1" }, status: 200 },
      { query: { status: "open" }, status: 400 },
      { query: { pageSize: "1000" }, status: 400 },
      { query: { since: "yesterday" }, status: 400 },
    ],
  },
  {
    path: "/api/v1/alerts/{id}",
    summary: "One alert: its evidence (updates and packages, the learned normal lag of a stopped mirror, why data is stale) and its timeline",
    description: "Events are oldest first; `notified` tells whether notifications were queued for an event and `quietReason` why not.",
    pathParams: { id: "An alert id (a positive whole number)." },
    response: AlertDetailResponse,
    errors: [400, 404],
    examples: [
      { params: { id: String(EXAMPLE_ALERT_ID) }, status: 200 },
      { params: { id: "abc" }, status: 400 },
      { params: { id: String(EXAMPLE_ALERT_ID) }, query: { verbose: "1" }, status: 400 },
      { params: { id: "999999" }, status: 404 },
    ],
  },
  {
    path: "/api/v1/openapi.json",
    summary: "This API described as OpenAPI 3.1",
    response: OpenApiDocumentResponse,
    errors: [400],
    examples: [{ status: 200 }, { query: { format: "yaml" }, status: 400 }],
  },
];
