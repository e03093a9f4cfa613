import "server-only";

import { Feed } from "feed";
import { escapeHtml } from "../notifications/escape-html";
import { findLinkHost, toSafeHref } from "../../core/check-link";
import { formatDuration } from "../../core/format/format-duration";
import { formatInstant } from "../../core/format/format-instant";
import { trimOrigin } from "../notifications/format-notification-values";
import { describePublishedElsewhereList, describeStopNormalLag, describeStopReleasedSince } from "../../core/alerts/summarize-alert";
import type { AlertFeedEntry } from "../read/list-alert-feed-entries";
import {
  describePartialStopSentence,
  describePartialStopWindow,
  formatPartialStopLag,
  joinNames,
} from "../../core/format/describe-partial-stop";

const MAX_ITEMS_PER_ENTRY = 50;
// Characters XML 1.0 forbids even escaped; a hostile advisory title must not make the feed unreadable.
// eslint-disable-next-line no-control-regex -- matching control characters is what this expression is for
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const clean = (value: string | number | null | undefined) => escapeHtml(typeof value === "string" ? value.replace(XML_INVALID, "") : value);

function renderAdvisoryPageLink(url: string): string {
  const href = toSafeHref(url);
  return href === null ? "" : ` (<a href="${clean(href)}">${clean(findLinkHost(href))}</a>)`;
}

function renderEvidence(entry: AlertFeedEntry, origin: string): string {
  const { alert, details } = entry;
  const parts: string[] = [];
  const facts: [string, string][] = [
    ["Alert", clean(alert.kindLabel)],
    ["Mirror", clean(alert.mirrorName)],
    ["RHEL", alert.major === null ? "all majors" : clean(alert.major)],
    ["Firing since", clean(formatInstant(alert.startsAt))],
  ];
  if (entry.isResolve && alert.resolvedAt) facts.push(["Resolved", clean(formatInstant(alert.resolvedAt))]);
  if (details.stop) {
    const stop = details.stop;
    facts.push(["Last publication", clean(formatInstant(stop.lastPublishedAt))]);
    facts.push(["Normal lag", clean(describeStopNormalLag(stop))]);
    facts.push(["Released since", clean(describeStopReleasedSince(stop))]);
  }
  if (details.partialStop) {
    const partialStop = details.partialStop;
    facts.push(["Normal lag", clean(formatPartialStopLag(partialStop))]);
    // Every name: a feed entry is read like the mail, not like a chat line.
    facts.push([`Stopped packages (${clean(partialStop.stoppedPackages.length)})`, clean(joinNames(partialStop.stoppedPackages))]);
    facts.push([`Still arriving (${clean(partialStop.keptPackages.length)})`, clean(joinNames(partialStop.keptPackages))]);
  }
  if (details.stale) {
    const stale = details.stale;
    facts.push(["Last successful poll", stale.lastSuccessAt ? clean(formatInstant(stale.lastSuccessAt)) : "never"]);
    facts.push(["Stale after", clean(formatDuration(stale.staleAfterMinutes * 60))]);
    facts.push(["Consecutive failures", clean(stale.consecutiveFailures)]);
    if (stale.lastErrorKind || stale.lastErrorMessage)
      facts.push(["Last error", clean([stale.lastErrorKind, stale.lastErrorMessage].filter(Boolean).join(": "))]);
  }
  parts.push(`<p>${clean(alert.summary)}</p>`);
  const elsewhere = entry.isResolve ? null : describePublishedElsewhereList(details.publishedElsewhere, details.items.length);
  if (elsewhere) parts.push(`<p>${clean(elsewhere)}</p>`);
  if (details.partialStop) {
    parts.push(
      `<p>${clean(describePartialStopSentence(alert.mirrorName, details.partialStop, alert.major ?? details.major))} ${clean(describePartialStopWindow(details.partialStop))}</p>`,
    );
  }
  parts.push(`<ul>${facts.map(([label, value]) => `<li>${label}: ${value}</li>`).join("")}</ul>`);
  if (details.items.length > 0) {
    const hasElsewhere = details.publishedElsewhere !== null;
    const rows = details.items.slice(0, MAX_ITEMS_PER_ENTRY).map((item) => {
      const ours = `${origin}/advisories/${encodeURIComponent(item.advisoryId)}`;
      const packages = item.packages.map((pkg) => `${clean(pkg.nevra)} (${clean(pkg.status)})`).join(", ");
      return (
        `<tr><td><a href="${clean(ours)}">${clean(item.advisoryId)}</a>${renderAdvisoryPageLink(item.advisoryUrl)}</td>` +
        `<td>${clean(item.severity ?? "—")}</td><td>${clean(item.title ?? "")}</td><td>${packages}</td><td>${clean(formatDuration(item.ageHours * 3600))}</td>` +
        (hasElsewhere ? `<td>${clean(item.publishedOn?.map((mirror) => mirror.mirrorName).join(", ") || "—")}</td>` : "") +
        "</tr>"
      );
    });
    const caption = alert.kind === "partial_stop" ? `<p>Unpublished updates in the window (${clean(details.items.length)}):</p>` : "";
    const more =
      details.items.length > MAX_ITEMS_PER_ENTRY
        ? `<p>…and ${details.items.length - MAX_ITEMS_PER_ENTRY} more on the alert's page.</p>`
        : "";
    parts.push(
      `${caption}<table><thead><tr><th>Advisory</th><th>Severity</th><th>Title</th><th>Packages</th><th>Age</th>${hasElsewhere ? "<th>Already on</th>" : ""}</tr></thead><tbody>${rows.join("")}</tbody></table>${more}`,
    );
  }
  parts.push(`<p><a href="${clean(alert.url)}">The alert, with its timeline</a></p>`);
  return parts.join("\n");
}

/**
 * An Atom 1.0 document, one entry per notified fire or resolve. Entry ids are tag URIs that never change; `updated`
 * is the newest entry's time (or `emptySince` when there is none), so an unchanged feed is byte-identical.
 */
export function buildAlertsAtomFeed(
  entries: readonly AlertFeedEntry[],
  input: { publicUrl: string; selfUrl: string; filterLabel: string | null; filterKey: string; emptySince: Date },
): string {
  const origin = trimOrigin(input.publicUrl);
  const authority = new URL(origin).hostname;
  const tag = (specific: string) => `tag:${authority},2026:${specific}`;
  const feed = new Feed({
    id: tag(`feeds/alerts${input.filterKey ? `;${input.filterKey}` : ""}`),
    title: `srcwatch alerts${input.filterLabel ? `: ${input.filterLabel}` : ""}`,
    description:
      "Mirrors that stopped publishing RHEL sources or some of their packages, updates missing or delayed on them, and mirrors srcwatch cannot poll: when an alert fires and when it resolves.",
    link: `${origin}/alerts`,
    feedLinks: { atom: input.selfUrl },
    updated: entries[0]?.at ?? input.emptySince,
    generator: "srcwatch",
    author: { name: "srcwatch", link: origin },
    copyright: "",
  });
  for (const entry of entries) {
    const prefix = entry.isResolve ? "RESOLVED" : "FIRING";
    feed.addItem({
      id: tag(`alert/${entry.alert.id}/event/${entry.eventId}`),
      // Atom entry titles are written as type="html": escaped here, so feed readers show the text as is.
      title: clean(`${prefix}: ${entry.alert.summary}`),
      link: entry.alert.url,
      date: entry.at,
      published: entry.at,
      content: renderEvidence(entry, origin),
    });
  }
  return feed.atom1();
}
