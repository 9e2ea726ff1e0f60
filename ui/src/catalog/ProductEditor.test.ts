import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendError, type Backend } from "../lib/backend";
import { createMockBackend } from "../lib/mock-backend";
import ProductEditor from "./ProductEditor.svelte";

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = "";
});

function type(testid: string, value: string): void {
  const input = document.querySelector<HTMLInputElement>(`[data-testid=${testid}]`);
  if (!input) throw new Error(`no ${testid}`);
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

/** An editor whose back end refuses every save with `refusal`. */
async function editorRefusing(refusal: BackendError): Promise<void> {
  const mock = createMockBackend({});
  const backend: Backend = {
    ...mock,
    addProduct: () => Promise.reject(refusal),
  };
  const shop = await backend.shop();
  app = mount(ProductEditor, {
    target: document.body,
    props: { backend, shop, productId: null, onclose: () => {}, onsaved: () => {}, ondelete: () => {} },
  });
  flushSync();
  type("field-title", "Bolsa de palha");
  type("field-sku", "BOLSA-1");
  type("field-price", "120.00");
  document.querySelector<HTMLButtonElement>("[data-testid=save-product]")?.click();
}

describe("a refusal from the back end", () => {
  it("is shown at the field it names, typed, whatever its English message says", async () => {
    // The message names the price; the typed field says the sale price: the field wins.
    await editorRefusing(
      new BackendError(
        "invalidInput",
        "price: the sale must cost less than the price",
        null,
        {},
        { field: "salePrice", detail: "must cost less than the price" },
      ),
    );
    await vi.waitFor(() => {
      expect(document.querySelector("[data-testid=findings-sale-price]")?.textContent, "under the sale price").toContain("must cost less than the price");
    });
    expect(document.querySelector("[data-testid=findings-price]")?.textContent ?? "", "not under the price its words name").not.toContain("must cost less");
    expect(document.querySelector("#product-salePrice")?.getAttribute("aria-invalid"), "the sale price is marked invalid").toBe("true");
  });

  it("that names no field of the form is said for the whole form, as it was sent", async () => {
    await editorRefusing(new BackendError("invalidInput", "sku: a made-up refusal", null, {}, null));
    await vi.waitFor(() => {
      expect(document.body.textContent).toContain("sku: a made-up refusal");
    });
    expect(document.querySelector("[data-testid=findings-sku]")?.textContent ?? "", "no field is guessed from the words").not.toContain("made-up");
  });
});
