import Link from "next/link";
import { ADVISORY_TYPES, SEVERITIES } from "@/core/types";
import type { MissingReportFilters as Filters } from "@/contract/missing-report-dto";

const fieldsetClass = "min-w-0 rounded-md border border-zinc-200 px-3 pb-2 pt-1 dark:border-zinc-800";
const legendClass = "px-1 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
const controlClass = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

function CheckboxGroup({
  legend,
  name,
  options,
  selected,
}: {
  legend: string;
  name: string;
  options: { value: string; label: string }[];
  selected: readonly (string | number)[] | undefined;
}) {
  return (
    <fieldset className={fieldsetClass}>
      <legend className={legendClass}>{legend}</legend>
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {options.map((option) => (
          <label key={option.value} className="inline-flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              className="size-4"
              name={name}
              value={option.value}
              defaultChecked={selected?.map(String).includes(option.value) ?? false}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A plain GET form: the report's URL is its filters, so it can be bookmarked and shared. */
export function MissingReportFilters({
  filters,
  mirrors,
  majors,
}: {
  filters: Filters;
  mirrors: { id: string; name: string }[];
  majors: number[];
}) {
  return (
    <form method="get" action="/reports/missing" aria-label="Report filters" className="space-y-3 print:hidden">
      <div className="grid gap-3 md:grid-cols-2">
        <CheckboxGroup
          legend="Mirrors"
          name="mirror"
          options={mirrors.map((mirror) => ({ value: mirror.id, label: mirror.name }))}
          selected={filters.mirror}
        />
        <CheckboxGroup
          legend="RHEL major"
          name="major"
          options={majors.map((major) => ({ value: String(major), label: `RHEL ${major}` }))}
          selected={filters.major}
        />
        <CheckboxGroup
          legend="Severity"
          name="severity"
          options={SEVERITIES.map((severity) => ({ value: severity, label: severity }))}
          selected={filters.severity}
        />
        <CheckboxGroup
          legend="Type"
          name="type"
          options={ADVISORY_TYPES.map((type) => ({ value: type, label: type }))}
          selected={filters.type}
        />
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="report-from" className={legendClass}>
            Issued from
          </label>
          <input id="report-from" type="date" name="from" className={controlClass} defaultValue={filters.from ?? ""} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="report-to" className={legendClass}>
            Issued to
          </label>
          <input id="report-to" type="date" name="to" className={controlClass} defaultValue={filters.to ?? ""} />
        </div>
        <button
          type="submit"
          className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-700 dark:hover:bg-sky-600"
        >
          Build report
        </button>
        <Link href="/reports/missing" className="px-1 py-1.5 text-sm text-sky-700 underline dark:text-sky-400">
          Reset filters
        </Link>
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Nothing ticked in a group means all of it. Dates are UTC days, both included.
      </p>
    </form>
  );
}
