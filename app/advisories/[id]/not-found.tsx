import Link from "next/link";

export default function AdvisoryNotFound() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold tracking-tight">Advisory not tracked</h1>
      <p>
        srcwatch does not know this advisory. It may be older than the configured start date, concern a product other than the tracked RHEL
        majors, or not be synced yet.
      </p>
      <p>
        <Link href="/updates" className="text-sky-700 underline dark:text-sky-400">
          Search the updates
        </Link>
      </p>
    </div>
  );
}
