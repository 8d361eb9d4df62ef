/** US dollars as the list shows them: cents, or four significant digits below a cent (never "$0.00" for a real spend). */
export function formatUsd(n: number): string {
  if (n > 0 && n < 0.01) return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumSignificantDigits: 2 }).format(n);
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

export const formatCount = (n: number) => new Intl.NumberFormat("en-US").format(n);

/** The share of a budget spent, 0 to 1 and beyond; null without a budget. */
export const budgetShare = (spent: number, budget: number | null) => (budget === null || budget <= 0 ? null : spent / budget);
