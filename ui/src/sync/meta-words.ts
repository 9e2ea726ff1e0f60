// Meta's review sends its reasons as English sentences; until they come with the field they
// concern, the field is guessed from the words.
import type { FindingField } from "../lib/backend";

// To go: the field will come typed from Rust (issue 15).
/** The product field Meta's words are about, when they name one. */
export function fieldNamed(text: string): FindingField | null {
  const words = text.toLowerCase();
  if (/image|photo|picture/.test(words)) return "images";
  if (/price/.test(words)) return "price";
  if (/title|\bname\b/.test(words)) return "title";
  if (/description/.test(words)) return "description";
  if (/\blink\b|\burl\b/.test(words)) return "link";
  return null;
}
