// Sample data for working on the UI in a plain browser (`npm run dev --workspace ui`).
// Development only: `connectBackend` imports it behind `import.meta.env.DEV`.

import type { Backend } from "./backend";
import type { ProductSummary } from "./bindings";

const PIXEL_PALETTE = ["#14b8a6", "#f97316", "#6366f1", "#e11d48", "#84cc16"];

const SAMPLE: ProductSummary[] = [
  {
    id: "7d3c2a52-0c1e-4b8f-9a57-1f2a3b4c5d01",
    sku: "CAMISA-AZUL-M",
    title: "Camisa de linho azul",
    price: { amount: "149.90", currency: "BRL" },
    salePrice: { amount: "119.90", currency: "BRL" },
    availability: "inStock",
    stock: 12,
    thumbnail: "mock-0",
    errors: 0,
    warnings: 0,
  },
  {
    id: "7d3c2a52-0c1e-4b8f-9a57-1f2a3b4c5d02",
    sku: "ABAYA-001",
    title: "عباءة سوداء مطرزة",
    price: { amount: "350.00", currency: "SAR" },
    salePrice: null,
    availability: "availableForOrder",
    stock: null,
    thumbnail: "mock-1",
    errors: 0,
    warnings: 1,
  },
  {
    id: "7d3c2a52-0c1e-4b8f-9a57-1f2a3b4c5d03",
    sku: "BATIK-SOLO-12",
    title: "Kain batik tulis Solo",
    price: { amount: "425000", currency: "IDR" },
    salePrice: null,
    availability: "outOfStock",
    stock: 0,
    thumbnail: null,
    errors: 1,
    warnings: 0,
  },
];

function swatch(index: number): string {
  const colour = PIXEL_PALETTE[index % PIXEL_PALETTE.length] ?? "#999";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="${colour}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export const mockBackend: Backend = {
  async listProducts(query) {
    const needle = query.search?.trim().toLocaleLowerCase() ?? "";
    const matching = SAMPLE.filter(
      (p) =>
        needle === "" ||
        p.title.toLocaleLowerCase().includes(needle) ||
        p.sku.toLocaleLowerCase().includes(needle),
    );
    return {
      items: matching.slice(query.offset, query.offset + query.limit),
      total: matching.length,
    };
  },
  async shop() {
    return { name: "Loja da Ana", currency: "BRL", language: "pt-BR" };
  },
  imageUrl: (hash) => swatch(Number(hash.replace("mock-", "")) || 0),
  thumbnailUrl: (hash) => swatch(Number(hash.replace("mock-", "")) || 0),
};
