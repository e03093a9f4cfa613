import "server-only";

import { getConfig } from "../config/get-config";
import { BadRequestError } from "../errors";
import { MissingReportQuery, type MissingReportResponse } from "../../contract/missing-report-dto";
import { parseQueryString } from "../../contract/query-string";
import { getMissingReport } from "./get-missing-report";

export type LoadedMissingReport =
  | { isValid: true; query: MissingReportQuery; report: MissingReportResponse; mirrors: { id: string; name: string }[]; majors: number[] }
  | { isValid: false; message: string; mirrors: { id: string; name: string }[]; majors: number[] };

/** The report pages' shared step: the URL's filters → the report, or why the filters are not valid. */
export async function loadMissingReport(
  searchParams: URLSearchParams,
  input: { now: Date; pageSize?: number },
): Promise<LoadedMissingReport> {
  const config = getConfig();
  const mirrors = config.mirrors.map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const majors = [...new Set(config.mirrors.flatMap((mirror) => mirror.majors))].sort((a, b) => a - b);
  const parsed = parseQueryString(MissingReportQuery, searchParams);
  if (!parsed.success) return { isValid: false, message: parsed.message, mirrors, majors };
  const query = input.pageSize ? { ...parsed.data, page: 1, pageSize: input.pageSize } : parsed.data;
  try {
    const report = await getMissingReport(query, { now: input.now });
    return { isValid: true, query, report, mirrors, majors };
  } catch (error) {
    if (error instanceof BadRequestError) return { isValid: false, message: error.message, mirrors, majors };
    throw error;
  }
}
