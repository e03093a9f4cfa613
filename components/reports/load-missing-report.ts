import { parseQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/components/search-params-record";
import { getClock } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
import { BadRequestError } from "@/server/errors";
import { getMissingReport } from "@/server/read/get-missing-report";
import { MissingReportQuery, type MissingReportResponse } from "@/contract/missing-report-dto";

export type LoadedMissingReport =
  | { isValid: true; query: MissingReportQuery; report: MissingReportResponse; mirrors: { id: string; name: string }[]; majors: number[] }
  | { isValid: false; message: string; mirrors: { id: string; name: string }[]; majors: number[] };

/** The report pages' shared step: the URL's filters → the report, or why the filters are not valid. */
export async function loadMissingReport(
  searchParams: Record<string, string | string[] | undefined>,
  options: { pageSize?: number } = {},
): Promise<LoadedMissingReport> {
  const config = getConfig();
  const mirrors = config.mirrors.map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const majors = [...new Set(config.mirrors.flatMap((mirror) => mirror.majors))].sort((a, b) => a - b);
  const parsed = parseQueryString(MissingReportQuery, toUrlSearchParams(searchParams));
  if (!parsed.success) return { isValid: false, message: parsed.message, mirrors, majors };
  const query = options.pageSize ? { ...parsed.data, page: 1, pageSize: options.pageSize } : parsed.data;
  try {
    const report = await getMissingReport(query, { now: getClock().now() });
    return { isValid: true, query, report, mirrors, majors };
  } catch (error) {
    if (error instanceof BadRequestError) return { isValid: false, message: error.message, mirrors, majors };
    throw error;
  }
}
