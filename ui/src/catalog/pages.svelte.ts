// The catalog as the virtual list sees it: `total` rows, of which the pages around the
// viewport are loaded from the back end on demand. A new query starts over; answers to an
// older query are dropped.

import type { Backend, ProductQuery, ProductSummary } from "../lib/backend";
import { pagesFor } from "../lib/virtual";

export type Filters = Omit<ProductQuery, "limit" | "offset">;

export const PAGE_SIZE = 100;

export class CatalogPages {
  total = $state<number | null>(null);
  /** Loaded rows by page number; a page is replaced whole so Svelte sees the change. */
  pages = $state<Record<number, ProductSummary[]>>({});
  failure = $state<Error | null>(null);
  // Bookkeeping of the pages being fetched; nothing renders it, so it needs no reactivity.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private pending = new Set<number>();
  private generation = 0;
  private filters: Filters;

  constructor(
    private backend: Backend,
    filters: Filters,
  ) {
    this.filters = filters;
  }

  /** Starts over with new filters (or the same ones after a change to the catalog). */
  async reset(filters: Filters = this.filters, keepRows = false): Promise<void> {
    this.filters = filters;
    this.generation++;
    this.pending.clear();
    if (!keepRows) this.pages = {};
    await this.load(0, this.generation, true);
  }

  row(index: number): ProductSummary | undefined {
    return this.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  /** Loads whatever of rows `start`..`end` is not loaded yet. */
  ensure(start: number, end: number): void {
    for (const page of pagesFor(start, end, PAGE_SIZE)) {
      if (!(page in this.pages) && !this.pending.has(page)) void this.load(page, this.generation, false);
    }
  }

  /** Every loaded row, in order (for "select all shown"). */
  loaded(): ProductSummary[] {
    return Object.keys(this.pages)
      .map(Number)
      .sort((a, b) => a - b)
      .flatMap((p) => this.pages[p] ?? []);
  }

  private async load(page: number, generation: number, replaceAll: boolean): Promise<void> {
    this.pending.add(page);
    try {
      const result = await this.backend.listProducts({
        ...this.filters,
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
      });
      // Typing fast makes answers arrive out of order: keep only the newest query's.
      if (generation !== this.generation) return;
      this.total = result.total;
      this.pages = replaceAll ? { [page]: result.items } : { ...this.pages, [page]: result.items };
      this.failure = null;
    } catch (e) {
      if (generation !== this.generation) return;
      this.failure = e instanceof Error ? e : new Error(String(e));
    } finally {
      if (generation === this.generation) this.pending.delete(page);
    }
  }
}
