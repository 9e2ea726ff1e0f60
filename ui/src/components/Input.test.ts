import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import Input from "./Input.svelte";

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = "";
});

describe("a field shows its problems right under it", () => {
  it("an error and a warning, in their tones, described to screen readers", () => {
    app = mount(Input, {
      target: document.body,
      props: {
        id: "product-description",
        label: "Description",
        testid: "field-description",
        messages: [
          { tone: "bad", text: "Add a description: Meta needs one." },
          { tone: "warn", text: "Long titles get cut on phones." },
        ],
      },
    });
    flushSync();
    const input = document.querySelector("textarea, input")!;
    const list = document.querySelector("[data-testid=findings-description]")!;
    expect(list.textContent).toContain("Add a description");
    expect([...list.querySelectorAll("li")].map((li) => li.dataset.tone)).toEqual(["bad", "warn"]);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(list.id);
    expect(document.querySelector("label")?.getAttribute("for")).toBe("product-description");
  });

  it("warnings alone do not mark the field invalid", () => {
    app = mount(Input, {
      target: document.body,
      props: { id: "t", label: "Title", messages: [{ tone: "warn", text: "Long" }] },
    });
    flushSync();
    expect(document.querySelector("input")?.getAttribute("aria-invalid")).toBeNull();
  });
});
