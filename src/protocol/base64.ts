/**
 * Base64 for image bytes crossing into and out of webviews, the same code in the extension host and in the
 * page: encoded by Node's Buffer where there is one (else by a loop), decoded by atob after a strict check.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function encodeBase64(bytes: Uint8Array): string {
  // In Node (the extension host, the CLI) Buffer's native encoder: the loop below took 14 of the 43 ms that
  // reading an epoch's images of 50 compared runs cost the host (2-core Zen 4, page bench).
  if (typeof Buffer !== 'undefined')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
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

/** Standard alphabet, padded: what encodeBase64 writes and Buffer's 'base64' agrees with. */
const STRICT = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes strict base64 (padded, standard alphabet); undefined for anything else. atob (native in browsers and
 * Node) does the decoding: a loop over the text here cost the epoch slider's step most of its time in the page
 * and left a small array per 3 bytes behind as garbage (BENCHMARKS.md, page bench); atob alone would also take
 * whitespace and missing padding, which the pattern refuses first.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !STRICT.test(text)) return undefined;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
