import Link from "next/link";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { VerdictBadge } from "@/components/verdict-badge";
import { toSafeHref } from "@/core/check-link";
import { advisoryPath } from "@/contract/advisory-list-query-string";
import type { PackageGridResponse } from "@/contract/package-grid-dto";
import { packagePath } from "./package-path";

/** "4.18.0-477.15.1.el8_8" of "kernel-0:4.18.0-477.15.1.el8_8": a cell shows the version, the name is the row's. */
function versionOf(nevra: string, name: string): string {
  return nevra.startsWith(`${name}-`) ? nevra.slice(name.length + 1).replace(/^0:/, "") : nevra;
}

/** Package × mirror, Repology style: the newest update per package, and per mirror its verdict and the newest build there. */
export function PackageGridTable({ grid, caption }: { grid: PackageGridResponse; caption: string }) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col" className={thClass}>
            Package
          </th>
          <th scope="col" className={thClass}>
            Newest update
          </th>
          {grid.mirrors.map((mirror) => (
            <th key={mirror.id} scope="col" className={thClass}>
              {mirror.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {grid.rows.map((row) => (
          <tr key={row.name}>
            <th scope="row" className={`${rowThClass} whitespace-nowrap font-mono`}>
              <Link href={packagePath(row.name)} className="text-link">
                {row.name}
              </Link>
            </th>
            <td className={`${tdClass} text-xs`}>
              <Link href={advisoryPath(row.newest.advisoryId)} className="text-link whitespace-nowrap font-mono">
                {row.newest.advisoryId}
              </Link>
              <span className="block whitespace-nowrap font-mono">{versionOf(row.newest.nevra, row.name)}</span>
              <span className="block whitespace-nowrap text-zinc-600 dark:text-zinc-400">released {row.newest.issuedAt.slice(0, 10)}</span>
            </td>
            {row.cells.map((cell) => {
              const mirrorName = grid.mirrors.find((mirror) => mirror.id === cell.mirrorId)?.name ?? cell.mirrorId;
              const href = cell.newestFound ? toSafeHref(cell.newestFound.url ?? "") : null;
              const version = cell.newestFound ? versionOf(cell.newestFound.nevra, row.name) : null;
              return (
                <td key={cell.mirrorId} className={`${tdClass} text-xs`}>
                  {cell.verdict ? <VerdictBadge status={cell.verdict} /> : <span className="text-zinc-600 dark:text-zinc-400">—</span>}
                  <span className="mt-1 block whitespace-nowrap font-mono">
                    {version === null ? (
                      <span className="text-zinc-600 dark:text-zinc-400">no build found</span>
                    ) : href ? (
                      <a href={href} className="text-link" aria-label={`${row.name} ${version} on ${mirrorName}`}>
                        {version}
                      </a>
                    ) : (
                      version
                    )}
                  </span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
