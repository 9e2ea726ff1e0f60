import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { connectBackend } from "./lib/backend";
import { i18n } from "./lib/i18n.svelte";
import { applyLocale } from "./lib/locale";

declare global {
  interface Window {
    /** Set by the browser tests (ui/e2e) to answer IPC calls instead of the Rust back end. */
    __E2E_IPC__?: (cmd: string, args?: unknown) => unknown;
  }
}

async function start(): Promise<void> {
  // Dev-server only: Vite drops this branch from production bundles.
  if (import.meta.env.DEV && window.__E2E_IPC__) {
    const mocks = await import("@tauri-apps/api/mocks");
    mocks.mockWindows("main");
    mocks.mockIPC(window.__E2E_IPC__, { shouldMockEvents: true });
    mocks.mockConvertFileSrc("linux");
  }
  applyLocale(i18n.language);
  const backend = await connectBackend();
  const target = document.getElementById("app");
  if (!target) throw new Error("index.html has no #app element");
  mount(App, { target, props: { backend } });
}

void start();
