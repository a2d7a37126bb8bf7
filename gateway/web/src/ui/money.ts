/** How many minor units make one major unit of `currency` (100 for EUR, 1 for JPY). */
export function minorUnitsPerMajor(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

/** Integer minor units as a price a person reads, e.g. 1999 EUR → "€19.99". */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(
    cents / minorUnitsPerMajor(currency),
  );
}

/** A typed amount in major units ("19.99") as minor units, or undefined when blank or invalid. */
export function parseMajorAmount(text: string, currency: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0) return undefined;
  return Math.round(value * minorUnitsPerMajor(currency));
}

/** Minor units as the plain number a price input shows ("19.99"). */
export function majorAmountText(cents: number, currency: string): string {
  return String(cents / minorUnitsPerMajor(currency));
}
