// Windowing math for the virtualised catalog: which rows are on screen (plus a margin),
// and which pages of the back end's list hold them. Pure, so it is unit-tested.

export interface Window {
  /** First row index in the DOM (inclusive). */
  start: number;
  /** One past the last row index in the DOM. */
  end: number;
  /** Space above the first rendered row, in pixels. */
  offsetTop: number;
  /** Height of the whole scrollable list, in pixels. */
  totalHeight: number;
}

/**
 * The rows to render for a viewport: `rowHeight` pixels each, `count` rows, `overscan`
 * extra rows above and below so fast scrolling shows no blank band.
 */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 4): Window {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(viewportHeight, 0)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** Columns of a grid of cards at least `minCardWidth` wide in `width` pixels (at least 1). */
export function gridColumns(width: number, minCardWidth: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minCardWidth + gap)));
}

/** The page numbers (of `pageSize` items) that hold items `start` to `end - 1`. */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}
