import { beforeAll, describe, expect, it } from "vitest";
import { i18n } from "../lib/i18n.svelte";
import { phaseText } from "./progress";

describe("the progress line of a sync", () => {
  beforeAll(() => i18n.choose("en"));

  it("counts the batch being sent from 1", () => {
    expect(phaseText({ batchesDone: 0, batchesTotal: 3, phase: "sending", polls: 0 })).toBe("Batch 1 of 3: sending to Meta…");
  });

  it("counts Meta's status checks from 1 while it processes a batch", () => {
    expect(phaseText({ batchesDone: 1, batchesTotal: 3, phase: "waiting", polls: 0 })).toBe("Batch 2 of 3: Meta is processing it (check 1)…");
  });

  it("says how many batches are done at the end", () => {
    expect(phaseText({ batchesDone: 3, batchesTotal: 3, phase: "done", polls: 0 })).toBe("3 of 3 batches done");
  });
});
