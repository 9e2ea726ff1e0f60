// The storefront, as the mock back end plays it: settings kept in memory, a preview page
// drawn as a data: URL listing the shop's products, builds and publishes that count files.
// Development and browser tests only.

import { BackendError, type Backend } from "./backend";
import type { StorefrontSettings } from "./bindings";

type StorefrontMethods = Pick<
  Backend,
  "storefront" | "setStorefront" | "previewStorefront" | "buildStorefront" | "publishStorefront" | "storefrontPreviewUrl"
>;

export function createMockStorefront(
  shopName: () => string,
  titles: () => string[],
  collections: () => string[],
  hostingSet: () => Promise<boolean>,
): StorefrontMethods {
  let settings: StorefrontSettings = { baseUrl: null, accent: "#0f766e", collections: [] };
  let built = 0;
  const files = () => 4 + titles().length * 2;
  const page = () => {
    const items = titles()
      .slice(0, 12)
      .map((t) => `<li>${t.replace(/</g, "&lt;")}</li>`)
      .join("");
    return `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:sans-serif;margin:16px}h1{background:${settings.accent};color:#fff;padding:12px}</style></head><body><h1>${shopName().replace(/</g, "&lt;")}</h1><ul>${items}</ul></body></html>`;
  };
  return {
    async storefront() {
      return structuredClone(settings);
    },
    async setStorefront(update) {
      if (update.baseUrl !== null && update.baseUrl.trim() !== "" && !/^https:\/\/[^\s/]+\.[^\s/]+/.test(update.baseUrl.trim()))
        throw new BackendError("invalidInput", "base URL: give the site's address, like https://shop.example");
      if (update.accent !== null && !/^#[0-9a-f]{6}$/i.test(update.accent)) throw new BackendError("invalidInput", "accent: use a colour like #0f766e");
      const unknown = update.collections?.find((c) => !collections().includes(c));
      if (unknown) throw new BackendError("notFound", `no collection “${unknown}”`);
      settings = {
        baseUrl: update.baseUrl === null ? settings.baseUrl : update.baseUrl.trim() || null,
        accent: update.accent ?? settings.accent,
        collections: update.collections ?? settings.collections,
      };
      return structuredClone(settings);
    },
    async previewStorefront() {
      const written = built === 0 ? files() : 1;
      built++;
      return { files: files(), written, removed: 0 };
    },
    async buildStorefront() {
      if (!settings.baseUrl) throw new BackendError("invalidInput", "base URL: set the storefront's web address first");
      return { files: files(), written: files(), removed: 0 };
    },
    async publishStorefront(onProgress) {
      if (!settings.baseUrl) throw new BackendError("invalidInput", "base URL: set the storefront's web address first");
      if (!(await hostingSet())) throw new BackendError("invalidInput", "hosting: set where the storefront is published first");
      const total = files();
      for (let done = 1; done <= total; done++) {
        await new Promise((r) => setTimeout(r, 5));
        onProgress({ done, total });
      }
      return { files: total, uploaded: total, unchanged: 0, removed: 0 };
    },
    storefrontPreviewUrl: () => `data:text/html;charset=utf-8,${encodeURIComponent(page())}`,
  };
}
