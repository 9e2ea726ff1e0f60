// What every Share tab does with the back end's answers: copy a link, and say in a toast
// when saving or printing fails.
import type { Toasts } from "../components/toasts.svelte";
import type { Backend } from "../lib/backend";
import { errorText } from "../lib/errors";
import { t } from "../lib/i18n.svelte";

/** Runs `work`; a failure is said in a toast. */
export async function attempt(toasts: Toasts, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    toasts.show(t("common.error", { message: errorText(e) }), { tone: "bad" });
  }
}

export function copy(backend: Backend, toasts: Toasts, text: string): Promise<void> {
  return attempt(toasts, async () => {
    await backend.copyText(text);
    toasts.show(t("share.copied"), { tone: "ok" });
  });
}
