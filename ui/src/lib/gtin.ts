// Barcodes (GTIN-8, UPC-A, EAN-13, GTIN-14): digits and GS1's check digit, as the back end
// reads them. Pure, so it is unit-tested.

/** True for 8, 12, 13 or 14 digits whose last is GS1's check digit of the others. */
export function isGtin(text: string): boolean {
  const digits = text.trim();
  if (!/^\d+$/.test(digits) || ![8, 12, 13, 14].includes(digits.length)) return false;
  // From the right, leaving out the check digit: weights 3, 1, 3, 1…
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}
