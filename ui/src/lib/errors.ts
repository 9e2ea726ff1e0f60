// A failure as the person reads it: the back end's message id in the UI's language when it
// sends one (a photo it cannot use, Meta refusing the token…), else its English message.

import { BackendError } from "./backend";
import { en, type MessageKey } from "./messages/en";
import { t } from "./i18n.svelte";

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function errorText(error: unknown): string {
  if (error instanceof BackendError && error.key && isMessageKey(error.key)) return t(error.key, error.params);
  return error instanceof Error ? error.message : String(error);
}
