import Link from "next/link";
import { Panel } from "@/components/ui/panel";

/** What a page opened from a mailed link shows when the link is forged, expired or revoked. */
export function InvalidLinkPanel({ title }: { title: string }) {
  return (
    <Panel tone="error" role="alert" title={title}>
      <p>This link is not valid or has expired. Confirmation links work for 7 days; links of an ended subscription stop working.</p>
      <p>
        <Link href="/subscribe" className="underline">
          Subscribe again
        </Link>
      </p>
    </Panel>
  );
}
