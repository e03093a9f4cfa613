"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ADVISORY_TYPES, SEVERITIES, VERDICT_STATUSES } from "@/core/types";
import type { AdvisoryListQuery } from "@/contract/advisory-dto";
import { VERDICT_LABELS, VerdictIcon } from "@/components/verdict-badge";

const SEARCH_DEBOUNCE_MS = 300;

export const SORT_OPTIONS = [
  { value: "issuedAt:desc", label: "Newest first" },
  { value: "issuedAt:asc", label: "Oldest first" },
  { value: "id:asc", label: "Advisory id, A → Z" },
  { value: "id:desc", label: "Advisory id, Z → A" },
] as const;

export const PAGE_SIZES = [20, 50, 100, 200] as const;

const fieldsetClass = "min-w-0 rounded-md border border-zinc-200 px-3 pb-2 pt-1 dark:border-zinc-800";
const legendClass = "px-1 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
const controlClass = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

function toggle<T>(list: readonly T[] | undefined, value: T, isChecked: boolean): T[] | undefined {
  const next = (list ?? []).filter((item) => item !== value);
  if (isChecked) next.push(value);
  return next.length > 0 ? next : undefined;
}

function CheckboxGroup<T extends string>({
  legend,
  options,
  selected,
  renderLabel,
  onChange,
}: {
  legend: string;
  options: readonly T[];
  selected: readonly T[] | undefined;
  renderLabel?: (value: T) => ReactNode;
  onChange: (next: T[] | undefined) => void;
}) {
  return (
    <fieldset className={fieldsetClass}>
      <legend className={legendClass}>{legend}</legend>
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {options.map((option) => (
          <label key={option} className="inline-flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              className="size-4"
              checked={selected?.includes(option) ?? false}
              onChange={(event) => onChange(toggle(selected, option, event.target.checked))}
            />
            {renderLabel ? renderLabel(option) : option}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A single-choice select over a list filter; several values from a shared URL stay visible as one option. */
function ListSelect({
  label,
  allLabel,
  options,
  selected,
  onChange,
}: {
  label: string;
  allLabel: string;
  options: { value: string; label: string }[];
  selected: readonly string[] | undefined;
  onChange: (next: string[] | undefined) => void;
}) {
  const id = useId();
  const value = selected && selected.length > 0 ? selected.join(",") : "";
  const isKnown = value === "" || options.some((option) => option.value === value);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={legendClass}>
        {label}
      </label>
      <select
        id={id}
        className={controlClass}
        value={value}
        onChange={(event) => onChange(event.target.value ? event.target.value.split(",") : undefined)}
      >
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {isKnown ? null : <option value={value}>{value}</option>}
      </select>
    </div>
  );
}

export function AdvisoryFilters({
  query,
  mirrors,
  majors,
  onChange,
  onClear,
}: {
  query: AdvisoryListQuery;
  mirrors: { id: string; name: string }[];
  majors: number[];
  onChange: (patch: Partial<AdvisoryListQuery>) => void;
  onClear: () => void;
}) {
  const searchId = useId();
  const sortId = useId();
  const pageSizeId = useId();
  const [search, setSearch] = useState(query.q ?? "");
  // The last search we put in the URL: only a different q (cleared, back button) overwrites what is being typed.
  const sentSearch = useRef(query.q ?? "");

  useEffect(() => {
    const q = query.q ?? "";
    if (q === sentSearch.current) return;
    sentSearch.current = q;
    setSearch(q);
  }, [query.q]);

  useEffect(() => {
    const trimmed = search.trim();
    if (trimmed === (query.q ?? "")) return;
    const timer = setTimeout(() => {
      sentSearch.current = trimmed;
      onChange({ q: trimmed || undefined });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, query.q, onChange]);

  const hasFilters = Boolean(query.q || query.verdict || query.mirror || query.major || query.severity || query.type);

  return (
    <form
      role="search"
      aria-label="Filter updates"
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        sentSearch.current = search.trim();
        onChange({ q: search.trim() || undefined });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <label htmlFor={searchId} className={legendClass}>
            Search advisory id or package
          </label>
          <input
            id={searchId}
            type="search"
            className={controlClass}
            placeholder="RHSA-2023:3722 or openssl"
            value={search}
            maxLength={200}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <ListSelect
          label="Mirror"
          allLabel="All mirrors"
          options={mirrors.map((mirror) => ({ value: mirror.id, label: mirror.name }))}
          selected={query.mirror}
          onChange={(mirror) => onChange({ mirror })}
        />
        <ListSelect
          label="RHEL major"
          allLabel="All majors"
          options={majors.map((major) => ({ value: String(major), label: `RHEL ${major}` }))}
          selected={query.major?.map(String)}
          onChange={(major) => onChange({ major: major?.map(Number) })}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={sortId} className={legendClass}>
            Sort
          </label>
          <select
            id={sortId}
            className={controlClass}
            value={`${query.sort}:${query.order}`}
            onChange={(event) => {
              const [sort, order] = event.target.value.split(":") as [AdvisoryListQuery["sort"], AdvisoryListQuery["order"]];
              onChange({ sort, order });
            }}
          >
            {SORT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={pageSizeId} className={legendClass}>
            Per page
          </label>
          <select
            id={pageSizeId}
            className={controlClass}
            value={query.pageSize}
            onChange={(event) => onChange({ pageSize: Number(event.target.value) })}
          >
            {[...new Set([...PAGE_SIZES, query.pageSize])]
              .sort((a, b) => a - b)
              .map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
          </select>
        </div>
        {hasFilters ? (
          <button type="button" onClick={onClear} className={`${controlClass} font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800`}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div className="grid gap-3 md:grid-cols-[2fr_1fr_1fr]">
        <CheckboxGroup
          legend="Verdict"
          options={VERDICT_STATUSES}
          selected={query.verdict}
          renderLabel={(status) => (
            <span className="inline-flex items-center gap-1">
              <VerdictIcon status={status} />
              {VERDICT_LABELS[status]}
            </span>
          )}
          onChange={(verdict) => onChange({ verdict })}
        />
        <CheckboxGroup legend="Severity" options={SEVERITIES} selected={query.severity} onChange={(severity) => onChange({ severity })} />
        <CheckboxGroup legend="Type" options={ADVISORY_TYPES} selected={query.type} onChange={(type) => onChange({ type })} />
      </div>
    </form>
  );
}
