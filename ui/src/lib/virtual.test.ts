import { describe, expect, it } from "vitest";
import { gridColumns, pagesFor, visibleWindow } from "./virtual";

describe("the virtual list renders only what is on screen, plus a margin", () => {
  it("at the top: the first rows and the overscan below", () => {
    expect(visibleWindow(0, 600, 60, 10_000, 4)).toEqual({ start: 0, end: 14, offsetTop: 0, totalHeight: 600_000 });
  });

  it("in the middle: a window around the viewport, offset to where it starts", () => {
    const w = visibleWindow(60_030, 600, 60, 10_000, 4);
    expect(w.start).toBe(996);
    expect(w.end).toBe(1015);
    expect(w.offsetTop).toBe(996 * 60);
  });

  it("at the very end: never past the last row, even when scrolled beyond it", () => {
    const w = visibleWindow(10_000_000, 600, 60, 10_000, 4);
    expect(w.end).toBe(10_000);
    expect(w.start).toBe(10_000 - 10 - 4);
  });

  it("holds as many rows as fit, whatever the catalog size", () => {
    const w = visibleWindow(123_456, 800, 64, 10_000, 6);
    expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(800 / 64) + 1 + 12);
  });

  it("an empty catalog renders nothing", () => {
    expect(visibleWindow(0, 600, 60, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });
});

describe("grid columns and pages", () => {
  it("fits as many cards as their minimum width allows, at least one", () => {
    expect(gridColumns(1000, 190, 14)).toBe(4);
    expect(gridColumns(100, 190, 14)).toBe(1);
  });

  it("names the pages holding a range of rows", () => {
    expect(pagesFor(0, 30, 100)).toEqual([0]);
    expect(pagesFor(95, 130, 100)).toEqual([0, 1]);
    expect(pagesFor(9_990, 10_000, 100)).toEqual([99]);
    expect(pagesFor(5, 5, 100)).toEqual([]);
  });
});
