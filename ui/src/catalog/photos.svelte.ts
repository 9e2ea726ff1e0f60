// Photos imports could not download yet (a slow or offline server): how many wait, and a
// retry. Shared by the catalog's toolbar, the import report and the window's `online` event.

import type { Backend, PhotoRetry } from "../lib/backend";

export class PendingPhotos {
  count = $state(0);
  retrying = $state(false);
  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** A back end that does not keep pending photos counts none. */
  async refresh(): Promise<void> {
    try {
      this.count = await this.#backend.pendingPhotoCount();
    } catch {
      this.count = 0;
    }
  }

  async retry(): Promise<PhotoRetry> {
    this.retrying = true;
    try {
      const result = await this.#backend.retryPhotos();
      this.count = result.stillPending.length;
      return result;
    } finally {
      this.retrying = false;
    }
  }
}
