// Previews are drawn by the back end while the merchant types: each waits until the inputs
// have been still for a moment, and only the latest answer is shown.
import { errorText } from "../lib/errors";

/** How long the inputs stay still before a preview is drawn, in milliseconds. */
export const PREVIEW_DEBOUNCE_MS = 250;

/** Runs `work` after the inputs have been still for `ms`; a later run wins: an earlier one's
 *  answer or failure is dropped. */
export function debounced<T>(work: () => Promise<T>, apply: (value: T) => void, fail: (message: string) => void, ms: number = PREVIEW_DEBOUNCE_MS): () => void {
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    const mine = ++generation;
    clearTimeout(timer);
    timer = setTimeout(() => {
      work().then(
        (value) => mine === generation && apply(value),
        (e) => mine === generation && fail(errorText(e)),
      );
    }, ms);
  };
}
