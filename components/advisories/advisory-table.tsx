import Link from "next/link";
import { Instant } from "@/components/ui/instant";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { VerdictBadge } from "@/components/verdict-badge";
import { packagePath } from "@/components/packages/package-path";
import type { AdvisoryListItem } from "@/contract/advisory-dto";
import { advisoryPath } from "@/contract/advisory-list-query-string";
import { explainLag, formatLag } from "./describe-time-origin";
import { SeverityLabel } from "./severity-label";

const MAX_PACKAGES_SHOWN = 3;

/** "bash-0:4.4.20-4.el8_6" → "bash" */
function packageName(nevra: string): string {
  return nevra.replace(/-[^-]+-[^-]+$/, "");
}

export function AdvisoryTable({
  caption,
  items,
  mirrors,
}: {
  caption: string;
  items: AdvisoryListItem[];
  mirrors: { id: string; name: string }[];
}) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col" className={thClass}>
            Advisory
          </th>
          <th scope="col" className={thClass}>
            Issued
          </th>
          <th scope="col" className={thClass}>
            Severity
          </th>
          <th scope="col" className={thClass}>
            RHEL
          </th>
          <th scope="col" className={thClass}>
            Packages
          </th>
          {mirrors.map((mirror) => (
            <th key={mirror.id} scope="col" className={thClass}>
              {mirror.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const names = [...new Set(item.packages.map(packageName))];
          return (
            <tr key={item.id}>
              <th scope="row" className={`${rowThClass} min-w-56`}>
                <Link href={advisoryPath(item.id)} className="whitespace-nowrap font-mono text-link">
                  {item.id}
                </Link>
                {item.title ? <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{item.title}</span> : null}
              </th>
              <td className={tdClass}>
                <Instant at={item.issuedAt} />
              </td>
              <td className={tdClass}>
                <SeverityLabel severity={item.severity} type={item.type} />
              </td>
              <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{item.majors.join(", ")}</td>
              <td className={`${tdClass} text-xs`} title={item.packages.join("\n")}>
                {names.slice(0, MAX_PACKAGES_SHOWN).map((name, index) => (
                  <span key={name}>
                    {index > 0 ? ", " : null}
                    <Link href={packagePath(name)} className="text-link">
                      {name}
                    </Link>
                  </span>
                ))}
                {names.length > MAX_PACKAGES_SHOWN ? ` +${names.length - MAX_PACKAGES_SHOWN}` : ""}
              </td>
              {mirrors.map((mirror) => {
                const status = item.statuses.find((candidate) => candidate.mirrorId === mirror.id);
                return (
                  <td key={mirror.id} className={tdClass}>
                    {status ? (
                      <VerdictBadge
                        status={status.status}
                        reason={status.statusReason}
                        suffix={status.status === "published" ? (formatLag(status) ?? undefined) : undefined}
                        title={status.status === "published" ? explainLag(status) : undefined}
                      />
                    ) : (
                      <VerdictBadge status="not_applicable" />
                    )}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
