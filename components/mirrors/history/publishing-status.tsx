import { Panel } from "@/components/ui/panel";
import type { MirrorHistoryResponse } from "@/contract/mirror-history-dto";
import { describeMajorPublishing, describeNormalLag, type MajorPublishingState } from "./describe-mirror-history";

const TONES: Record<MajorPublishingState, "error" | "warning" | "neutral"> = {
  stopped: "error",
  partial: "warning",
  publishing: "neutral",
  unknown: "neutral",
};

/**
 * Per RHEL major: stopped, stopped some packages, or publishing — with the mirror's normal lag. The same assessment,
 * data and numbers as the mirror's publishing_stopped and partial_stop alerts.
 */
export function PublishingStatus({ history }: { history: MirrorHistoryResponse }) {
  const { publishing, mirror } = history;
  return (
    <section aria-labelledby="publishing-heading" className="space-y-3">
      <h2 id="publishing-heading" className="text-lg font-semibold">
        Is it publishing?
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {describeNormalLag(mirror.name, publishing.normalLag)} An update is due once it is older than that; the alerts of this mirror use
        the same numbers.
      </p>
      <ul className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        {publishing.majors.map((entry) => {
          const { state, headline, details } = describeMajorPublishing(entry, publishing.normalLag);
          return (
            <li key={entry.major} className="min-w-0">
              <Panel tone={TONES[state]} title={headline}>
                {details.length > 0 ? details.map((text) => <p key={text}>{text}</p>) : null}
              </Panel>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
