/**
 * Puts a comparison's images back together from their `compareChunk` messages (see
 * src/protocol/schemas/compareMessageSchemas.ts): one buffer per image, allocated once from the shape the
 * `compareImages` message gave, each chunk decoded straight into its place as RGBA (what the canvas takes, so
 * showing the image copies nothing more). Chunks must come in order and fit
 * their image; anything else is refused with the reason, since a hole or an overlap would draw wrong pixels.
 */
import type { CompareImageInfo } from '../../src/protocol/webviewMessages';
import { writeRgba } from './pixelReadout';

export class PixelAssembly {
  /** RGBA per image. */
  readonly buffers: Uint8ClampedArray<ArrayBuffer>[];
  /** Channel bytes received per image, and expected. */
  private readonly received: number[];
  private readonly sizes: number[];

  constructor(readonly images: readonly CompareImageInfo[]) {
    this.buffers = images.map((i) => new Uint8ClampedArray(i.width * i.height * 4).fill(255));
    this.sizes = images.map((i) => i.width * i.height * i.channels);
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
    const size = this.sizes[chunk.image];
    if (chunk.offset + binary.length > size)
      return `compareChunk: image ${chunk.image} would get ${chunk.offset + binary.length} of ${size} bytes`;
    writeRgba(target, binary, chunk.offset, this.images[chunk.image].channels);
    this.received[chunk.image] += binary.length;
    return undefined;
  }

  get complete(): boolean {
    return this.sizes.every((size, i) => this.received[i] === size);
  }

  /** Bytes received over bytes expected, for a progress line. */
  get progress(): number {
    const total = this.sizes.reduce((s, b) => s + b, 0);
    return total ? this.received.reduce((s, r) => s + r, 0) / total : 1;
  }
}
