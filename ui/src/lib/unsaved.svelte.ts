// Whether anything in the window holds edits that are not saved yet (an open product editor
// with changes). The window's close button asks before throwing them away.

import { untrack } from "svelte";

class Unsaved {
  private holders = $state(0);

  /** Marks unsaved work until the returned function is called (once; later calls do nothing). */
  hold(): () => void {
    // Called from effects: counting must not make them depend on the count.
    untrack(() => this.holders++);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      untrack(() => this.holders--);
    };
  }

  get any(): boolean {
    return this.holders > 0;
  }
}

export const unsaved = new Unsaved();
