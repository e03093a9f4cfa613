import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PackageHistoryTable } from "@/components/packages/package-history-table";
import { getClock } from "@/server/clock";
import { NotFoundError } from "@/server/errors";
import { getPackageHistory } from "@/server/read/get-package-history";
import type { PackageHistoryResponse } from "@/contract/package-history-dto";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const name = decodeName((await params).name);
  return buildPageMetadata({
    title: name,
    description: `Every RHEL update of ${name}, and where its sources are published, delayed or missing.`,
    path: `/packages/${encodeURIComponent(name)}`,
  });
}

export default async function PackagePage({ params }: Params) {
  const name = decodeName((await params).name);
  let history: PackageHistoryResponse;
  try {
    history = await getPackageHistory(name, { now: getClock().now() });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const count = history.advisories.length;
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Source package</p>
        <h1 className="break-words font-mono text-2xl font-semibold tracking-tight">{history.name}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {count} advisor{count === 1 ? "y" : "ies"} across RHEL {history.majors.join(", ")} ·{" "}
          <Link href={`/updates?q=${encodeURIComponent(history.name)}`} className="text-sky-700 underline dark:text-sky-400">
            show in the updates list
          </Link>
        </p>
      </header>
      <PackageHistoryTable history={history} />
    </div>
  );
}
