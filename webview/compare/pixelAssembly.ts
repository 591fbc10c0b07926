/**
 * Puts a comparison's images back together from their `compareChunk` messages (see
 * src/protocol/schemas/compareMessageSchemas.ts): one buffer per image, allocated once from the shape the
 * `compareImages` message gave, each chunk decoded straight into its place. Chunks must come in order and fit
 * their image; anything else is refused with the reason, since a hole or an overlap would draw wrong pixels.
 */
import type { CompareImageInfo } from '../../src/protocol/webviewMessages';

export class PixelAssembly {
  readonly buffers: Uint8Array[];
  private readonly received: number[];

  constructor(readonly images: readonly CompareImageInfo[]) {
    this.buffers = images.map((i) => new Uint8Array(i.width * i.height * i.channels));
    this.received = images.map(() => 0);
  }

  /** Adds one chunk; returns why it was refused, or undefined. */
  add(chunk: { readonly image: number; readonly offset: number; readonly pixels: string }): string | undefined {
    const target = this.buffers[chunk.image];
    if (!target) return `compareChunk: image ${chunk.image} of ${this.images.length}`;
    if (chunk.offset !== this.received[chunk.image])
      return `compareChunk: image ${chunk.image} chunk at byte ${chunk.offset}, expected ${this.received[chunk.image]}`;
    let binary: string;
    try {
      // atob (native in browsers and Node) decodes megabytes many times faster than a loop over the text.
      binary = atob(chunk.pixels);
    } catch {
      return 'compareChunk: pixels are not base64';
    }
    if (chunk.offset + binary.length > target.length)
      return `compareChunk: image ${chunk.image} would get ${chunk.offset + binary.length} of ${target.length} bytes`;
    for (let i = 0, o = chunk.offset; i < binary.length; i++, o++) target[o] = binary.charCodeAt(i);
    this.received[chunk.image] += binary.length;
    return undefined;
  }

  get complete(): boolean {
    return this.buffers.every((b, i) => this.received[i] === b.length);
  }

  /** Bytes received over bytes expected, for a progress line. */
  get progress(): number {
    const total = this.buffers.reduce((s, b) => s + b.length, 0);
    return total ? this.received.reduce((s, r) => s + r, 0) / total : 1;
  }
}
