/**
 * Amounts shown as money when the entry says it is money: its key or label names an amount and its
 * label (or key) names an ISO 4217 currency, e.g. `amount` / "Amount (USD)" "4200000.00" → "$4,200,000.00".
 * A reviewer reading 4200000.00 at a glance can miss a zero; "$4,200,000.00" cannot be misread.
 */
const MONEY_WORDS = /amount|price|total|cost|fee|balance|refund|payment|salary|value_usd|sum/i;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** The currency an entry names, e.g. "USD" from "Amount (USD)" or `amount_eur`; null when none is valid. */
export function currencyOf(key: string, label: string): string | null {
  const candidates = [...`${label} ${key.replace(/_/g, " ")}`.matchAll(/\b([A-Za-z]{3})\b/g)].map((m) =>
    m[1]!.toUpperCase(),
  );
  for (const code of candidates) {
    if (code === "AND" || code === "THE" || code === "FOR") continue;
    try {
      if (Intl.supportedValuesOf("currency").includes(code)) return code;
    } catch {
      return null;
    }
  }
  return null;
}

/** The value written as money when the entry is an amount with a currency; otherwise the value unchanged. */
export function formatEntryValue(key: string, label: string, value: string): string {
  const trimmed = value.trim();
  if (!PLAIN_NUMBER.test(trimmed) || !MONEY_WORDS.test(`${key} ${label}`)) return value;
  const currency = currencyOf(key, label);
  if (!currency) return value;
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(trimmed));
}
