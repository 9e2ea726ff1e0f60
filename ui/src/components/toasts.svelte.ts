// Short notices at the bottom of the window ("Deleted 3 products · Undo"). A toast with an
// action stays longer; errors stay until dismissed.

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  tone: "info" | "ok" | "bad";
  text: string;
  action?: ToastAction;
}

export class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(text: string, options: { tone?: Toast["tone"]; action?: ToastAction; ms?: number } = {}): number {
    const id = this.next++;
    const tone = options.tone ?? "info";
    this.items = [...this.items, { id, tone, text, action: options.action }];
    const ms = options.ms ?? (tone === "bad" ? 0 : options.action ? 10_000 : 4_000);
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}
