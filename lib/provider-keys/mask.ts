/** A key's preview (docs/api.md, `key_preview` under "Provider keys"): first 7 and last 4 characters when the key is longer than 20, else `***`. */
export function maskKey(key: string): string {
  return key.length > 20 ? `${key.slice(0, 7)}...${key.slice(-4)}` : "***";
}
