import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounced } from "./debounce";

describe("a debounced preview", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits until the inputs are still, then draws once", async () => {
    const work = vi.fn(() => Promise.resolve("drawn"));
    const applied: string[] = [];
    const refresh = debounced(
      work,
      (v) => applied.push(v),
      () => {},
      250,
    );
    refresh();
    await vi.advanceTimersByTimeAsync(200);
    refresh();
    await vi.advanceTimersByTimeAsync(200);
    expect(work, "each change restarts the wait").not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50);
    expect(work).toHaveBeenCalledTimes(1);
    expect(applied).toEqual(["drawn"]);
  });

  it("drops an earlier answer that arrives after a later run started", async () => {
    let release: (value: string) => void = () => {};
    const answers = [new Promise<string>((resolve) => (release = resolve)), Promise.resolve("second")];
    const applied: string[] = [];
    const refresh = debounced(
      () => answers.shift()!,
      (v) => applied.push(v),
      () => {},
      10,
    );
    refresh();
    await vi.advanceTimersByTimeAsync(10);
    refresh();
    await vi.advanceTimersByTimeAsync(10);
    release("first");
    await vi.advanceTimersByTimeAsync(0);
    expect(applied, "the slow first answer is not shown over the second").toEqual(["second"]);
  });

  it("reports a failure in words", async () => {
    const failures: string[] = [];
    const refresh = debounced(
      () => Promise.reject(new Error("the printer is off")),
      () => {},
      (m) => failures.push(m),
      10,
    );
    refresh();
    await vi.advanceTimersByTimeAsync(10);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("the printer is off");
  });
});
