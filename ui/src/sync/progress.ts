// What the progress line of a running sync says.
import type { SyncProgress } from "../lib/backend";
import { t } from "../lib/i18n.svelte";

/** Before the first batch is sent. */
export const notStarted = (): SyncProgress => ({ batchesDone: 0, batchesTotal: 0, phase: "sending", polls: 0 });

/** The batch being sent, Meta's processing of it, or how many batches are done. Batches and
 *  checks are counted from 1 for the merchant. */
export function phaseText(progress: SyncProgress): string {
  const { batchesDone: done, batchesTotal: total, phase, polls } = progress;
  if (phase === "sending") return t("sync.phase.sending", { batch: done + 1, total });
  if (phase === "waiting") return t("sync.phase.waiting", { batch: done + 1, total, polls: polls + 1 });
  return t("sync.phase.done", { done, total });
}
