import { z } from "zod";
import * as alertDto from "./alert-dto";
import {
  AlertDetailResponse,
  AlertListQuery,
  AlertListResponse,
  SilenceListQuery,
  SilenceListResponse,
  SilenceResponse,
} from "./alert-dto";
import * as mirrorDto from "./mirror-dto";
import * as verdictDto from "./verdict-dto";
import * as summaryDto from "./summary-dto";
import * as advisoryDto from "./advisory-dto";
import * as pollRunDto from "./poll-run-dto";
import * as apiErrorDto from "./api-error";
import * as missingReportDto from "./missing-report-dto";
import * as mirrorHistoryDto from "./mirror-history-dto";
import { MirrorHistoryQuery, MirrorHistoryResponse } from "./mirror-history-dto";
import {
  MissingReportCsv,
  MissingReportFilters,
  MissingReportMarkdown,
  MissingReportQuery,
  MissingReportResponse,
} from "./missing-report-dto";
import * as packageHistoryDto from "./package-history-dto";
import { PackageHistoryResponse } from "./package-history-dto";
import { PackageGridQuery, PackageGridResponse } from "./package-grid-dto";
import * as searchDto from "./search-dto";
import { SearchQuery, SearchResponse } from "./search-dto";
import * as subscriptionDto from "./subscription-dto";
import {
  ConfirmSubscriptionRequest,
  ConfirmSubscriptionResponse,
  ManageSubscriptionResponse,
  MAX_SUBSCRIPTION_BODY_BYTES,
  ONE_CLICK_UNSUBSCRIBE_FORM,
  SubscribeRequest,
  SubscribeResponse,
  SubscriptionTokenQuery,
  UnsubscribeRequest,
  UnsubscribeResponse,
  UpdateSubscriptionRequest,
} from "./subscription-dto";
import { AdvisoryDetailResponse, AdvisoryListQuery, AdvisoryListResponse } from "./advisory-dto";
import { MirrorsResponse } from "./mirror-dto";
import { PollRunsQuery, PollRunsResponse } from "./poll-run-dto";
import { SummaryResponse } from "./summary-dto";
import { CreateSilenceRequest } from "./silence-request";
import { defineEndpoint, type ApiEndpoint } from "./endpoint";

export { getEndpointMethod, isCachedEndpoint, type ApiEndpoint, type ApiExample, type ApiMethod } from "./endpoint";

/*
 * Every /api/v1 endpoint, each declared once with defineEndpoint: its route file serves that constant
 * (app/api/v1/_lib/serve-endpoint.ts), server/api/openapi-document.ts describes API_ENDPOINTS, and clients query it
 * through contract/query-options.ts. To add one: declare it here with the query schema, response schema, the error
 * statuses it answers and examples, list it in API_ENDPOINTS, and serve it from its route file. Schemas exported by a
 * module of API_SCHEMA_MODULES keep their export name in the document (add yours there); others are inlined.
 * test/integration/api-contract.test.ts calls every example and checks the answer against the served document;
 * it fails for a route file that serves no endpoint of the list and for a documented status that no example shows.
 * An endpoint that acts (POST, PUT, DELETE, or a GET of the caller's own data) is never cached: `caching: "no-store"`.
 * One that mutates for a subscriber takes JSON from this server's own pages only (SAME_ORIGIN_RULE).
 */

const SAME_ORIGIN_RULE =
  "Only this server's own pages may call it: the request must carry `Origin` equal to this server's origin (browsers send it; " +
  "other clients must too) or, without `Origin`, `Sec-Fetch-Site: same-origin`, else 403; the body must be `application/json`, else 415. " +
  "Answers carry no `Access-Control-Allow-Origin`.";

/** Modules whose exported zod schemas become named components when a response uses them. */
export const API_SCHEMA_MODULES: Record<string, unknown>[] = [
  mirrorDto,
  verdictDto,
  summaryDto,
  advisoryDto,
  pollRunDto,
  apiErrorDto,
  missingReportDto,
  packageHistoryDto,
  searchDto,
  mirrorHistoryDto,
  alertDto,
  subscriptionDto,
];

export const OpenApiDocumentResponse = z.looseObject({ openapi: z.string() }).describe("An OpenAPI 3.1 document.");

const EXAMPLE_ADVISORY_ID = "RHSA-2023:3425";
/** The contract test writes an alert with this id (the alert engine numbers its own from 1). */
export const EXAMPLE_ALERT_ID = 4242;
export const EXAMPLE_SILENCE_ID = 4243;
/** Far enough ahead to stay valid; pending, so it silences nothing the other examples read. */
const EXAMPLE_SILENCE = {
  matchers: { mirrorId: "git.centos.org", major: 8 },
  startsAt: "2098-06-01T00:00:00Z",
  endsAt: "2098-06-02T00:00:00Z",
  author: "ops",
  comment: "planned maintenance",
};

export const getSummaryEndpoint = defineEndpoint({
  path: "/api/v1/summary",
  summary: "Verdict counts per mirror and RHEL major, with source health and sync progress",
  description:
    "`medianLagSeconds` is the median of the stored lags of published advisories (a first_seen lag counts as its upper bound); " +
    "advisories published before tracking have no lag and are only counted, in `beforeTrackingCount`.",
  response: SummaryResponse,
  errors: [400],
  examples: [{ status: 200 }, { query: { major: "8" }, status: 400 }],
});

export const listAdvisoriesEndpoint = defineEndpoint({
  path: "/api/v1/advisories",
  summary: "Advisories with their status per mirror: filters, search, sort and pages",
  description:
    "A status's lag is its slowest published package's stored lag, with that lag's `lagTimeOrigin`; it is null (before_tracking) " +
    "when a published package was already there at srcwatch's first look. `statusReason` tells not checked yet from stale data.",
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
});

export const getAdvisoryEndpoint = defineEndpoint({
  path: "/api/v1/advisories/{id}",
  summary: "One advisory: every package's verdict, lag (with where its time came from) and evidence on every mirror",
  description:
    "Lags are as the verdict stores them, never re-derived: `lagTimeOrigin` names the mirror's own time (exact), first_seen " +
    "(srcwatch's first sight: an upper bound, `lagPrecisionSeconds` wide) or before_tracking (the build was there when srcwatch " +
    "first looked and the mirror gives no time: no lag, `lagSeconds` and `publishedAt` null).",
  pathParams: { id: 'An advisory id, e.g. "RHSA-2023:3722".' },
  response: AdvisoryDetailResponse,
  errors: [400, 404],
  examples: [
    { params: { id: EXAMPLE_ADVISORY_ID }, status: 200 },
    { params: { id: EXAMPLE_ADVISORY_ID }, query: { verbose: "1" }, status: 400 },
    { params: { id: "RHSA-1999:0001" }, status: 404 },
  ],
});

export const listMirrorsEndpoint = defineEndpoint({
  path: "/api/v1/mirrors",
  summary: "Configured mirrors and upstreams with their polling health",
  response: MirrorsResponse,
  errors: [400],
  examples: [{ status: 200 }, { query: { mirror: "git.centos.org" }, status: 400 }],
});

export const getMirrorHistoryEndpoint = defineEndpoint({
  path: "/api/v1/mirrors/{id}",
  summary:
    "One mirror's history: health, carried updates released vs published per week or month, lag percentiles, per major whether it stopped publishing (fully or partly), recent poll runs and poll coverage",
  description:
    "An advisory counts once per mirror and is published when all its packages there are, at its slowest package's evidence time. " +
    "Poll coverage cells with no poll are `gap` (no data), never `ok`. `publishing` is the assessment the mirror's " +
    "publishing_stopped and partial_stop alerts make: the same rule, data and normal lag.",
  pathParams: { id: 'A configured mirror id, e.g. "git.centos.org".' },
  query: MirrorHistoryQuery,
  response: MirrorHistoryResponse,
  errors: [400, 404],
  examples: [
    { params: { id: "git.centos.org" }, status: 200 },
    { params: { id: "git.centos.org" }, query: { bucket: "month" }, status: 200 },
    { params: { id: "git.centos.org" }, query: { bucket: "year" }, status: 400 },
    { params: { id: "no-such-mirror" }, status: 404 },
  ],
});

export const listPollRunsEndpoint = defineEndpoint({
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
});

export const getMissingReportEndpoint = defineEndpoint({
  path: "/api/v1/reports/missing",
  summary: "The missing-update report: advisory × mirror delayed or missing, with age and where the sources are available instead",
  description:
    "Oldest first. `from` and `to` are UTC days of the advisory's issuedAt, both included; `total` counts rows over all pages. " +
    "Each `availableFrom` mirror carries its stored lag there and the lag's `lagTimeOrigin` (null lag: published before tracking).",
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
});

export const getMissingReportCsvEndpoint = defineEndpoint({
  path: "/api/v1/reports/missing.csv",
  summary: "The missing-update report as a CSV attachment: every row, streamed; X-Total-Count is the number of rows",
  description:
    "The columns of the report; `Lag there (hours)` and `Lag time origin` list one entry per `Available from` mirror, in its order, " +
    "separated by `; `. A mirror that had the build before tracking has an empty lag (never 0) and the origin before_tracking.",
  query: MissingReportFilters,
  response: MissingReportCsv,
  contentTypes: ["text/csv"],
  errors: [400],
  examples: [
    { query: { mirror: "git.centos.org", major: "8", from: "2023-06-01", to: "2023-07-31" }, status: 200 },
    { query: { page: "2" }, status: 400 },
  ],
});

export const getMissingReportMarkdownEndpoint = defineEndpoint({
  path: "/api/v1/reports/missing.md",
  summary: "The missing-update report as Markdown to paste into a bug: one table line per package, streamed",
  description:
    "Per package: the tag or file the mirror should show and the repository, index or feed srcwatch checks for it, the newest build of " +
    "that name found there, when srcwatch last asked, and the mirrors that already published it (linked to their evidence). " +
    "X-Total-Count is the number of rows (advisory × mirror).",
  query: MissingReportFilters,
  response: MissingReportMarkdown,
  contentTypes: ["text/markdown"],
  errors: [400],
  examples: [
    { query: { mirror: "git.centos.org", major: "8" }, status: 200 },
    { query: { from: "2023-07-31", to: "2023-06-01" }, status: 400 },
  ],
});

export const listPackageGridEndpoint = defineEndpoint({
  path: "/api/v1/packages",
  summary:
    "Package × mirror (Repology style): per source package, the newest build found on each mirror and the verdict of its newest update",
  description:
    "One RHEL major at a time (`major`, the newest configured by default), packages in name order, a keyset page at a time (`after` = " +
    "the previous page's `nextAfter`). `notApplicable=hide` (the default) leaves out packages no mirror carries.",
  query: PackageGridQuery,
  response: PackageGridResponse,
  errors: [400],
  examples: [
    { query: { major: "8" }, status: 200 },
    { query: { major: "8", q: "kernel", notApplicable: "show" }, status: 200 },
    { query: { q: "<script>" }, status: 400 },
  ],
});

export const getPackageHistoryEndpoint = defineEndpoint({
  path: "/api/v1/packages/{name}",
  summary: "One source package's history: every advisory that shipped it, across RHEL majors, with its verdict per mirror",
  description:
    "Each verdict carries its stored lag, `publishedAt`, `lagTimeOrigin` (first_seen: an upper bound; before_tracking: no lag) and `statusReason`.",
  pathParams: { name: 'A source package name, e.g. "cups-filters".' },
  response: PackageHistoryResponse,
  errors: [400, 404],
  examples: [
    { params: { name: "cups-filters" }, status: 200 },
    { params: { name: "cups-filters" }, query: { major: "8" }, status: 400 },
    { params: { name: "no-such-package" }, status: 404 },
  ],
});

export const searchEndpoint = defineEndpoint({
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
});

export const listAlertsEndpoint = defineEndpoint({
  path: "/api/v1/alerts",
  summary: "Alerts, firing and resolved: filters by status, mirror, RHEL major, kind and time window; firing first, then newest",
  description:
    "`silenced`: an active silence matches a firing alert (it is listed but not notified). `inhibitedById`: the publishing_stopped or partial_stop alert a " +
    "per-update alert is folded into. `since` / `until` keep the alerts whose firing overlaps that window. The same alerts as an Atom feed: /feeds/alerts.atom.",
  query: AlertListQuery,
  response: AlertListResponse,
  errors: [400],
  examples: [
    { status: 200 },
    { query: { status: "firing", mirror: "git.centos.org", major: "8" }, status: 200 },
    {
      query: {
        kind: "publishing_stopped,partial_stop,update_missing",
        since: "2023-06-01T00:00:00Z",
        until: "2023-07-01T00:00:00Z",
        pageSize: "10",
      },
      status: 200,
    },
    { query: { kind: "partial_stop", status: "firing" }, status: 200 },
    { query: { status: "resolved", page: "2", pageSize: "1" }, status: 200 },
    { query: { status: "open" }, status: 400 },
    { query: { pageSize: "1000" }, status: 400 },
    { query: { since: "yesterday" }, status: 400 },
  ],
});

export const getAlertEndpoint = defineEndpoint({
  path: "/api/v1/alerts/{id}",
  summary:
    "One alert: its evidence (updates and packages, the learned normal lag of a stopped mirror, the share of updates a partly stopped mirror published " +
    "and the packages it stopped, why data is stale) and its timeline",
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
});

export const listSilencesEndpoint = defineEndpoint({
  path: "/api/v1/silences",
  summary: "Silences, newest first: matchers (mirror, RHEL major, kind), start and end, author and comment",
  description:
    "Operators create one with POST and a JSON body { matchers, startsAt?, endsAt, author, comment } and " +
    "`Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>` (201; 401 without or with a wrong token, 403 when no token is configured). " +
    "A silenced alert still fires and is listed; its events are not notified.",
  query: SilenceListQuery,
  response: SilenceListResponse,
  errors: [400],
  examples: [{ status: 200 }, { query: { state: "active", limit: "10" }, status: 200 }, { query: { state: "muted" }, status: 400 }],
});

export const getSilenceEndpoint = defineEndpoint({
  path: "/api/v1/silences/{id}",
  summary: "One silence",
  description: "Operators expire it now with DELETE and `Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>`.",
  pathParams: { id: "A silence id (a positive whole number)." },
  response: SilenceResponse,
  errors: [400, 404],
  examples: [
    { params: { id: String(EXAMPLE_SILENCE_ID) }, status: 200 },
    { params: { id: "abc" }, status: 400 },
    { params: { id: "999999" }, status: 404 },
  ],
});

export const createSilenceEndpoint = defineEndpoint({
  path: "/api/v1/silences",
  method: "POST",
  summary: "Create a silence (operators only): matching alerts still fire and are listed, but are not notified",
  description:
    "`Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>` is checked before the body is read: 401 without it or with a wrong token, " +
    "403 when the server has no token configured. Any origin may call it: no browser attaches the token on its own.",
  auth: "operator",
  requestBody: CreateSilenceRequest,
  response: SilenceResponse,
  successStatus: 201,
  errors: [400, 401],
  examples: [
    { body: EXAMPLE_SILENCE, headers: { Authorization: "Bearer {operatorToken}" }, status: 201 },
    { body: EXAMPLE_SILENCE, status: 401 },
    { body: { ...EXAMPLE_SILENCE, role: "admin" }, headers: { Authorization: "Bearer {operatorToken}" }, status: 400 },
    { body: { ...EXAMPLE_SILENCE, endsAt: "2001-01-01T00:00:00Z" }, headers: { Authorization: "Bearer {operatorToken}" }, status: 400 },
  ],
});

export const expireSilenceEndpoint = defineEndpoint({
  path: "/api/v1/silences/{id}",
  method: "DELETE",
  summary: "Expire a silence now (operators only)",
  description: "`Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>`, as for creating one.",
  pathParams: { id: "A silence id (a positive whole number)." },
  auth: "operator",
  response: SilenceResponse,
  errors: [400, 401, 404],
  examples: [
    { params: { id: String(EXAMPLE_SILENCE_ID) }, headers: { Authorization: "Bearer {operatorToken}" }, status: 200 },
    { params: { id: String(EXAMPLE_SILENCE_ID) }, status: 401 },
    { params: { id: "abc" }, headers: { Authorization: "Bearer {operatorToken}" }, status: 400 },
    { params: { id: "999999" }, headers: { Authorization: "Bearer {operatorToken}" }, status: 404 },
  ],
});

export const subscribeEndpoint = defineEndpoint({
  path: "/api/v1/subscriptions",
  method: "POST",
  summary: "Subscribe an email address to alerts (double opt-in: a confirmation link is mailed)",
  description:
    "Always 202 with the same message, whether the address is new, waiting for confirmation or already subscribed: " +
    "the answer never tells whether an address is known. An address gets at most `limits.confirmationMailsPerAddressPerDay` " +
    "confirmation mails a day (beyond it nothing is sent, the answer is the same). " +
    "429 with Retry-After beyond `limits.subscribeRequestsPerIpPerHour` from one client address; " +
    `413 for a body over ${MAX_SUBSCRIPTION_BODY_BYTES} bytes; 503 when the server has no email configured. ${SAME_ORIGIN_RULE}`,
  requestBody: SubscribeRequest,
  maxBodyBytes: MAX_SUBSCRIPTION_BODY_BYTES,
  response: SubscribeResponse,
  successStatus: 202,
  errors: [400, 403, 413, 415],
  examples: [
    { body: { email: "maintainer@example.org", scope: { mirrors: ["git.centos.org"], majors: [8] } }, status: 202 },
    { body: { email: "maintainer@example.org" }, headers: { Origin: "https://evil.example" }, status: 403 },
    {
      form: [
        ["email", "form@example.org"],
        ["mirror", "git.centos.org"],
      ],
      status: 415,
    },
    { body: { email: "victim@example.org\r\nBcc: everyone@example.org" }, status: 400 },
    { body: { email: "maintainer@example.org", scope: { mirrors: ["no-such-mirror"] } }, status: 400 },
    { body: { email: "maintainer@example.org", role: "admin" }, status: 400 },
    { body: { email: "maintainer@example.org", comment: "x".repeat(MAX_SUBSCRIPTION_BODY_BYTES) }, status: 413 },
  ],
});

export const confirmSubscriptionEndpoint = defineEndpoint({
  path: "/api/v1/subscriptions/confirm",
  method: "POST",
  summary: "Confirm a subscription with the token of the mailed link; queues what is already firing in its scope",
  description: `A second confirmation answers the same. 403 for a link that is forged, expired (7 days), revoked or meant for something else. ${SAME_ORIGIN_RULE}`,
  requestBody: ConfirmSubscriptionRequest,
  response: ConfirmSubscriptionResponse,
  errors: [400, 403],
  examples: [
    { body: { token: "{confirmToken}" }, status: 200 },
    { body: { token: "{confirmToken}" }, status: 200 },
    { body: { token: "{manageToken}" }, status: 403 },
    { body: {}, status: 400 },
  ],
});

export const getSubscriptionEndpoint = defineEndpoint({
  path: "/api/v1/subscriptions/manage",
  summary: "A subscription as the holder of its manage link sees it: address, scope, delivery, status",
  query: SubscriptionTokenQuery,
  response: ManageSubscriptionResponse,
  caching: "no-store",
  errors: [400, 403],
  examples: [{ query: { token: "{manageToken}" }, status: 200 }, { query: { token: "{unsubscribeToken}" }, status: 403 }, { status: 400 }],
});

export const updateSubscriptionEndpoint = defineEndpoint({
  path: "/api/v1/subscriptions/manage",
  method: "PUT",
  summary: "Change a subscription's scope and delivery (immediate or daily digest) with its manage link",
  description: SAME_ORIGIN_RULE,
  query: SubscriptionTokenQuery,
  requestBody: UpdateSubscriptionRequest,
  response: ManageSubscriptionResponse,
  errors: [400, 403],
  examples: [
    {
      query: { token: "{manageToken}" },
      body: { scope: { mirrors: ["git.centos.org"], majors: [8, 9], kinds: ["publishing_stopped", "update_missing"] }, delivery: "daily" },
      status: 200,
    },
    { query: { token: "{manageToken}" }, body: { scope: { majors: [3] }, delivery: "daily" }, status: 400 },
    { query: { token: "{confirmToken}" }, body: { scope: {}, delivery: "daily" }, status: 403 },
  ],
});

export const unsubscribeEndpoint = defineEndpoint({
  path: "/api/v1/subscriptions/unsubscribe",
  method: "POST",
  summary: "Unsubscribe with an unsubscribe or manage link: RFC 8058 one-click (`List-Unsubscribe=One-Click`) or an empty JSON body",
  description:
    "Cancels what was queued for the subscription and revokes its links. A second click answers the same. " +
    "The RFC 8058 one-click body, exactly `List-Unsubscribe=One-Click` (URL-encoded or multipart), is taken from any origin: " +
    `the signed token in the URL authorises it. Any other body: ${SAME_ORIGIN_RULE}`,
  query: SubscriptionTokenQuery,
  requestBody: UnsubscribeRequest,
  formBody: "Exactly `List-Unsubscribe=One-Click` (RFC 8058), from any origin.",
  crossSiteForm: ONE_CLICK_UNSUBSCRIBE_FORM,
  response: UnsubscribeResponse,
  errors: [400, 403, 415],
  examples: [
    {
      query: { token: "{unsubscribeToken}" },
      form: [["List-Unsubscribe", "One-Click"]],
      headers: { Origin: "https://mail.example" },
      status: 200,
    },
    {
      query: { token: "{unsubscribeToken}" },
      form: [
        ["List-Unsubscribe", "One-Click"],
        ["everything", "true"],
      ],
      status: 415,
    },
    { query: { token: "{unsubscribeToken}" }, body: {}, headers: { Origin: "https://evil.example" }, status: 403 },
    { query: { token: "{unsubscribeToken}" }, body: {}, status: 200 },
    { query: { token: "{confirmToken}" }, body: {}, status: 403 },
    { query: { token: "{unsubscribeToken}" }, body: { everything: true }, status: 400 },
  ],
});

export const getOpenApiDocumentEndpoint = defineEndpoint({
  path: "/api/v1/openapi.json",
  summary: "This API described as OpenAPI 3.1",
  response: OpenApiDocumentResponse,
  errors: [400],
  examples: [{ status: 200 }, { query: { format: "yaml" }, status: 400 }],
});

/** Every endpoint, in the order the OpenAPI document lists them. */
export const API_ENDPOINTS: readonly ApiEndpoint[] = [
  getSummaryEndpoint,
  listAdvisoriesEndpoint,
  getAdvisoryEndpoint,
  listMirrorsEndpoint,
  getMirrorHistoryEndpoint,
  listPollRunsEndpoint,
  getMissingReportEndpoint,
  getMissingReportCsvEndpoint,
  getMissingReportMarkdownEndpoint,
  listPackageGridEndpoint,
  getPackageHistoryEndpoint,
  searchEndpoint,
  listAlertsEndpoint,
  getAlertEndpoint,
  listSilencesEndpoint,
  getSilenceEndpoint,
  createSilenceEndpoint,
  expireSilenceEndpoint,
  subscribeEndpoint,
  confirmSubscriptionEndpoint,
  getSubscriptionEndpoint,
  updateSubscriptionEndpoint,
  unsubscribeEndpoint,
  getOpenApiDocumentEndpoint,
];
