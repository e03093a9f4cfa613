"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMirrors } from "@/components/mirrors/hooks/use-mirrors";
import { QueryStatus } from "@/components/query-status";
import { parseQueryString } from "@/contract/query-string";
import { EmptyState } from "@/components/data-gap";
import { Panel } from "@/components/ui/panel";
import { VERDICT_LABELS } from "@/components/verdict-badge";
import { AdvisoryListQuery, isHidingNotApplicable } from "@/contract/advisory-dto";
import { AdvisoryFilters, SORT_OPTIONS } from "./advisory-filters";
import { updatesPath } from "@/contract/advisory-list-query-string";
import { AdvisoryTable } from "./advisory-table";
import { useAdvisories } from "./hooks/use-advisories";
import { Pagination } from "./pagination";

const DEFAULT_QUERY = AdvisoryListQuery.parse({});

/** Whether the list is narrowed at all (sort, order and paging do not narrow it). */
function isFiltered(query: AdvisoryListQuery): boolean {
  return Boolean(query.verdict || query.mirror || query.major || query.severity || query.type || query.q);
}

function describeFilters(query: AdvisoryListQuery, mirrorNames: Map<string, string>): string {
  const parts: string[] = [];
  if (query.verdict) parts.push(query.verdict.map((status) => VERDICT_LABELS[status]).join(" or "));
  if (query.severity) parts.push(query.severity.join(" or "));
  if (query.type) parts.push(query.type.join(" or "));
  parts.push("updates");
  if (query.major) parts.push(`for RHEL ${query.major.join(" or ")}`);
  if (query.mirror) parts.push(`on ${query.mirror.map((id) => mirrorNames.get(id) ?? id).join(" or ")}`);
  if (query.q) parts.push(`matching “${query.q}”`);
  const sortLabel = SORT_OPTIONS.find((option) => option.value === `${query.sort}:${query.order}`)?.label ?? "";
  return `${parts.join(" ")}${sortLabel ? `, ${sortLabel.toLowerCase()}` : ""}`;
}

/** One line under a mirror filter: what n/a means there, whether those updates are hidden, and the switch. */
function NotApplicableNote(props: { mirrorNames: string[]; isHidden: boolean; onToggle: () => void }) {
  const names = props.mirrorNames.join(" or ");
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400">
      {props.isHidden ? "Hidden: " : "Shown: "}
      the updates {names} does not carry (n/a: a stream such as EUS, AUS, TUS or E4S, or released before it was tracked).{" "}
      <button type="button" className="text-link" onClick={props.onToggle}>
        {props.isHidden ? "Show them" : "Hide them"}
      </button>
    </p>
  );
}

/** The filterable list of updates; every filter lives in the URL so a view can be shared. */
export function UpdatesView() {
  const searchParams = useSearchParams();
  const urlKey = searchParams.toString();
  const parsed = useMemo(() => parseQueryString(AdvisoryListQuery, new URLSearchParams(urlKey)), [urlKey]);
  // The URL reaches useSearchParams a render or more after replaceState: until it does, the filters
  // show what the person just chose, so a quick second click builds on the first.
  const [pendingQuery, setPendingQuery] = useState<AdvisoryListQuery | null>(null);
  const [seenUrlKey, setSeenUrlKey] = useState(urlKey);
  if (urlKey !== seenUrlKey) {
    setSeenUrlKey(urlKey);
    setPendingQuery(null);
  }
  const query = pendingQuery ?? (parsed.success ? parsed.data : DEFAULT_QUERY);
  const advisories = useAdvisories(query);
  const mirrors = useMirrors();
  const settledQuery = useRef(query);
  useEffect(() => {
    if (advisories.data && !advisories.isPlaceholderData) settledQuery.current = query;
  }, [advisories.data, advisories.isPlaceholderData, query]);

  // Shallow URL update: TanStack Query fetches the new page while the previous one stays on screen.
  const navigate = useCallback((next: AdvisoryListQuery) => {
    setPendingQuery(next);
    window.history.replaceState(null, "", updatesPath(next));
  }, []);
  const onChange = useCallback((patch: Partial<AdvisoryListQuery>) => navigate({ ...query, page: 1, ...patch }), [navigate, query]);
  const onClear = useCallback(
    () => navigate({ ...DEFAULT_QUERY, sort: query.sort, order: query.order, pageSize: query.pageSize }),
    [navigate, query],
  );

  if (!parsed.success && !pendingQuery) {
    return (
      <Panel tone="error" role="alert" title="These filters are not valid">
        <p>{parsed.message}</p>
        <p>
          <a href="/updates" className="underline">
            Show all updates
          </a>
        </p>
      </Panel>
    );
  }

  const mirrorList = advisories.data?.mirrors ?? mirrors.data?.mirrors ?? [];
  const mirrorNames = new Map(mirrorList.map((mirror) => [mirror.id, mirror.name]));
  const majors = [...new Set([...(mirrors.data?.mirrors.flatMap((mirror) => mirror.majors) ?? []), ...(query.major ?? [])])].sort(
    (a, b) => a - b,
  );
  const data = advisories.data;
  const isUpdating = advisories.isPlaceholderData || (advisories.isFetching && !data);
  // While the previous page stays on screen, its caption and count must describe it, not the new filters.
  // eslint-disable-next-line react-hooks/refs -- the ref keeps the query of the page still on screen; reading it here is its purpose
  const shownQuery = advisories.isPlaceholderData ? settledQuery.current : query;
  const description = describeFilters(shownQuery, mirrorNames);

  return (
    <div className="space-y-4">
      <AdvisoryFilters query={query} mirrors={mirrorList} majors={majors} onChange={onChange} onClear={onClear} />
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <p role="status" className="font-medium">
          {data ? `${data.total} ${description}` : null}
          {isUpdating ? <span className="ml-2 text-zinc-500 dark:text-zinc-400">Updating…</span> : null}
        </p>
        {advisories.isError && data ? (
          <p role="alert" className="text-red-700 dark:text-red-300">
            Live update failed: {advisories.error.message}
          </p>
        ) : null}
      </div>
      {query.mirror && !query.verdict ? (
        <NotApplicableNote
          mirrorNames={query.mirror.map((id) => mirrorNames.get(id) ?? id)}
          isHidden={isHidingNotApplicable(query)}
          onToggle={() => onChange({ notApplicable: isHidingNotApplicable(query) ? "show" : "hide" })}
        />
      ) : null}
      {!data ? (
        <QueryStatus query={advisories} what="updates" />
      ) : data.items.length === 0 ? (
        <EmptyState title={isFiltered(shownQuery) ? "No updates match these filters." : "No updates yet."} />
      ) : (
        <div className={isUpdating ? "opacity-60 transition-opacity" : "transition-opacity"} aria-busy={isUpdating}>
          <AdvisoryTable
            caption={`${description[0].toUpperCase()}${description.slice(1)}, page ${data.page}`}
            items={data.items}
            mirrors={data.mirrors}
          />
        </div>
      )}
      {data && data.total > 0 ? (
        <Pagination
          page={data.page}
          pageSize={data.pageSize}
          total={data.total}
          hrefForPage={(page) => updatesPath({ ...query, page })}
          onPage={(page) => navigate({ ...query, page })}
        />
      ) : null}
    </div>
  );
}
