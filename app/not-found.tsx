import Link from "next/link";

export default function NotFound() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/" className="text-sky-700 underline dark:text-sky-400">
          Back to the overview
        </Link>
      </p>
    </div>
  );
}
