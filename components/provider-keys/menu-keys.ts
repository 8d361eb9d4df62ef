/**
 * Where focus goes in an open menu of `labels` when `key` is pressed on item `active` (the WAI-ARIA
 * menu pattern): Up/Down wrap around, Home/End jump, a printable character moves to the next item
 * starting with it. Null: the key is not the menu's to handle.
 */
export function menuTarget(key: string, active: number, labels: readonly string[]): number | null {
  const n = labels.length;
  if (n === 0) return null;
  if (key === "ArrowDown") return (active + 1) % n;
  if (key === "ArrowUp") return (active - 1 + n) % n;
  if (key === "Home") return 0;
  if (key === "End") return n - 1;
  if (key.length !== 1 || !/\S/.test(key)) return null;
  const ch = key.toLowerCase();
  for (let step = 1; step <= n; step++) {
    const i = (active + step) % n;
    if (labels[i]!.toLowerCase().startsWith(ch)) return i;
  }
  return active;
}
