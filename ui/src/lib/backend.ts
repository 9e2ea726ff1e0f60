// The one door from the UI to the Rust back end. Components never call `invoke` or the
// generated bindings directly: they get a `Backend`, which in the app wraps the generated
// bindings and, in a plain browser during development, is an in-memory mock.

import { convertFileSrc } from "@tauri-apps/api/core";
import {
  commands,
  type ErrorCode,
  type IpcError,
  type ProductPage,
  type ProductQuery,
  type ShopInfo,
} from "./bindings";

export type { ErrorCode, ProductPage, ProductQuery, ProductSummary, ShopInfo } from "./bindings";

export interface Backend {
  listProducts(query: ProductQuery): Promise<ProductPage>;
  shop(): Promise<ShopInfo | null>;
  /** A URL the webview can load a stored photo from, by its content hash. */
  imageUrl(hash: string): string;
  /** The same photo's 256-pixel thumbnail, for lists. */
  thumbnailUrl(hash: string): string;
}

/** A failed back-end call. `code` is what the UI branches on; `message` is for people. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "BackendError";
    this.code = code;
  }
}

/** The URI scheme the Rust side registers to serve content-addressed photos. */
export const IMAGE_SCHEME = "vitrine-img";

/** `vitrine-img://localhost/` (Linux, macOS) or `http://vitrine-img.localhost/` (Windows). */
function imageBase(): string {
  return convertFileSrc("", IMAGE_SCHEME);
}

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

function isIpcError(value: unknown): value is IpcError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

async function call<T>(pending: Promise<CommandResult<T>>): Promise<T> {
  let result: CommandResult<T>;
  try {
    result = await pending;
  } catch (e) {
    throw new BackendError("internal", e instanceof Error ? e.message : String(e));
  }
  if (result.status === "ok") return result.data;
  // Tauri itself rejects with a plain string (unknown command, bad arguments, ACL denial).
  const error: unknown = result.error;
  if (isIpcError(error)) throw new BackendError(error.code, error.message);
  throw new BackendError("internal", String(error));
}

export const tauriBackend: Backend = {
  listProducts: (query) => call(commands.listProducts(query)),
  shop: () => call(commands.shop()),
  imageUrl: (hash) => `${imageBase()}${hash}`,
  thumbnailUrl: (hash) => `${imageBase()}thumb/${hash}`,
};

function inTauri(): boolean {
  return "__TAURI_INTERNALS__" in window;
}

/**
 * The back end for this page: the Rust one inside the app (or under Tauri's IPC mocks in
 * tests); in a plain browser during development, sample data so the UI can be worked on
 * without building the app. Production bundles contain no mock.
 */
export async function connectBackend(): Promise<Backend> {
  if (inTauri()) return tauriBackend;
  if (import.meta.env.DEV) {
    const { mockBackend } = await import("./mock-backend");
    return mockBackend;
  }
  throw new BackendError("internal", "Vitrine's back end is not available in this window.");
}
