/** One JSON line for `--json` output; typed arrays (sample images) become base64 strings to stay compact. */
export function toJsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))}\n`;
}
