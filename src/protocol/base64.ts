/**
 * Base64 for image bytes crossing into and out of webviews. Written without Node's Buffer or the
 * browser's btoa so the same code runs in the extension host and in the page.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk +=
      ALPHABET[a >> 2] +
      ALPHABET[((a & 3) << 4) | (b >> 4)] +
      (i + 1 < bytes.length ? ALPHABET[((b & 15) << 2) | (c >> 6)] : '=') +
      (i + 2 < bytes.length ? ALPHABET[c & 63] : '=');
    // Joining short chunks keeps string concatenation from building one deep rope per image set.
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** The length in bytes of a well-formed base64 text, without decoding it. */
export function decodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** Decodes strict base64 (padded, standard alphabet); undefined for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const out = new Uint8Array(decodedLength(text));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const q: number[] = [];
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      if (code === 61 /* = */ && last && j >= 2 && (j === 3 || text.charCodeAt(i + 3) === 61)) {
        q.push(0);
        continue;
      }
      const value = code < 128 ? VALUES[code] : -1;
      if (value < 0) return undefined;
      q.push(value);
    }
    const triple = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
    out[o++] = triple >> 16;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}
