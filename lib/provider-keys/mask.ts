/** The contract's preview: first 7 and last 4 characters when the key is longer than 20, else `***`. */
export function maskKey(key: string): string {
  return key.length > 20 ? `${key.slice(0, 7)}...${key.slice(-4)}` : "***";
}
