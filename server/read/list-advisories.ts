import "server-only";

import { formatNevra } from "../../core/nevra";
import { worstVerdict } from "../../core/worst-verdict";
import type { VerdictStatus } from "../../core/types";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { buildPackageNamePrefilter, findPackageNamesContaining, hasLikeSpecialCharacter } from "./find-package-names-containing";
import { isIdText } from "./is-id-text";
import {
  isHidingNotApplicable,
  type AdvisoryListItem,
  type AdvisoryListQuery,
  type AdvisoryListResponse,
  type AdvisoryMirrorStatus,
} from "../../contract/advisory-dto";
import { combinePublishedLags, combineStatusReasons, readStatusReason, readStoredLag } from "./read-verdict-times";
import { toAdvisoryListItem } from "./to-advisory-dto";

const lagBuildSelect = { select: { firstSeenAt: true, lastAbsentAt: true } } as const;

type AdvisoryWhere = NonNullable<Parameters<ReturnType<typeof getDb>["advisory"]["findMany"]>[0]>["where"];

/** `literalPackageNames`: the names that contain `q` literally, when `q` holds a LIKE special `contains` cannot take. */
export function buildAdvisoryWhere(query: AdvisoryListQuery, literalPackageNames?: string[]): AdvisoryWhere {
  const and: NonNullable<AdvisoryWhere>[] = [];
  if (query.severity) and.push({ severity: { in: query.severity } });
  if (query.type) and.push({ type: { in: query.type } });
  const majorFilter = query.major ? { major: { in: query.major } } : {};
  if (query.verdict || query.mirror) {
    // The Update's status (worst of its packages) is what the list shows per mirror, so it is what a filter matches:
    // one index range on MirrorUpdate instead of packages × verdicts per advisory.
    and.push({
      updates: {
        some: {
          ...majorFilter,
          ...(query.mirror ? { mirrorId: { in: query.mirror } } : {}),
          ...(query.verdict ? { status: { in: query.verdict } } : {}),
          ...(isHidingNotApplicable(query) ? { status: { not: "not_applicable" } } : {}),
        },
      },
    });
  } else if (query.major) {
    and.push({ packages: { some: majorFilter } });
  }
  if (query.q) {
    const text = query.q.trim();
    and.push({
      OR: [
        ...(isIdText(text) ? [{ id: { contains: text.toUpperCase() } }, { cves: { contains: text.toUpperCase() } }] : []),
        ...(literalPackageNames
          ? [{ packages: { some: { name: { in: literalPackageNames } } } }]
          : [{ packages: { some: buildPackageNamePrefilter(text) } }]),
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

/** The updates list: filters, search, sort and pages, with each advisory's status per mirror. */
export async function listAdvisories(query: AdvisoryListQuery, input: { now: Date }): Promise<AdvisoryListResponse> {
  const db = getDb();
  const text = query.q?.trim();
  const where = buildAdvisoryWhere(query, text && hasLikeSpecialCharacter(text) ? await findPackageNamesContaining(text) : undefined);
  const orderBy = query.sort === "id" ? [{ id: query.order }] : [{ issuedAt: query.order }, { id: query.order }];
  const [total, rows] = await Promise.all([
    db.advisory.count({ where }),
    db.advisory.findMany({
      where,
      orderBy,
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: {
        packages: {
          orderBy: [{ major: "asc" }, { name: "asc" }],
          include: {
            verdicts: {
              select: {
                mirrorId: true,
                status: true,
                statusReason: true,
                lagSeconds: true,
                lagTimeOrigin: true,
                evidence: lagBuildSelect,
                lagEvidence: lagBuildSelect,
              },
            },
          },
        },
      },
    }),
  ]);
  const mirrors = getConfig().mirrors.map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const upstreams = getConfig().upstreams;
  const items: AdvisoryListItem[] = rows.map((advisory) => {
    const packages = query.major ? advisory.packages.filter((pkg) => query.major!.includes(pkg.major)) : advisory.packages;
    const statuses: AdvisoryMirrorStatus[] = mirrors.flatMap((mirror) => {
      const verdicts = packages
        .flatMap((pkg) => pkg.verdicts.filter((verdict) => verdict.mirrorId === mirror.id))
        .map((verdict) => ({ ...verdict, statusReason: readStatusReason(verdict.statusReason) }));
      if (!verdicts.length) return [];
      const status = worstVerdict(verdicts.map((verdict) => verdict.status as VerdictStatus));
      // The stored lags of the published packages; one without a lag (published before tracking) leaves the advisory's unknown.
      const lag = combinePublishedLags(verdicts.filter((verdict) => verdict.status === "published").map(readStoredLag));
      return [
        {
          mirrorId: mirror.id,
          status,
          statusReason: combineStatusReasons(status, verdicts),
          lagSeconds: lag?.lagSeconds ?? null,
          lagTimeOrigin: lag?.lagTimeOrigin ?? null,
          lagPrecisionSeconds: lag?.lagPrecisionSeconds ?? null,
        },
      ];
    });
    return toAdvisoryListItem(advisory, {
      upstreams,
      majors: [...new Set(advisory.packages.map((pkg) => pkg.major))].sort(),
      packages: [...new Set(packages.map((pkg) => formatNevra(pkg)))],
      statuses,
    });
  });
  return { now: input.now.toISOString(), items, page: query.page, pageSize: query.pageSize, total, mirrors };
}
