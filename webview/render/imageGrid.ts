/** Draws gray images into canvases with ImageData; CSS scales them with crisp pixels. */
import { decodeBase64 } from '../../src/protocol/base64';
import { displayScale, gridLayout } from './gridLayout';

export interface GrayImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** count × height × width bytes, base64 as they crossed the channel. */
  readonly pixels: string;
}

/** Gaps between images are left transparent; the canvas background (CSS) shows there as a frame. */
const GAP = 2;

/**
 * The pixel buffer of each canvas, kept for its next drawing of the same size: the epoch slider redraws 50
 * runs' digits on every step, and a new buffer (and canvas) each time left megabytes of garbage per step.
 */
const buffers = new WeakMap<HTMLCanvasElement, ImageData>();

/** Draws columns of images side by side into `canvas` (one row per image), resizing it to fit. */
export function drawImageColumns(canvas: HTMLCanvasElement, columns: readonly GrayImages[], maxScale = 3): void {
  const first = columns[0];
  const context = canvas.getContext('2d');
  if (!first || !context) return;
  const layout = gridLayout(columns.length, first.count, first.width, first.height, GAP);
  // Setting a canvas's size, even to the same, clears it and may reallocate it.
  if (canvas.width !== layout.width || !canvas.hasAttribute('width')) canvas.width = layout.width;
  if (canvas.height !== layout.height || !canvas.hasAttribute('height')) canvas.height = layout.height;
  let image = buffers.get(canvas);
  if (image?.width !== layout.width || image.height !== layout.height) {
    image = context.createImageData(layout.width, layout.height);
    buffers.set(canvas, image);
  }
  const data = image.data;
  columns.forEach((column, c) => {
    const bytes = decodeBase64(column.pixels);
    if (!bytes) return;
    const size = column.width * column.height;
    for (let k = 0; k < column.count; k++) {
      const { x, y } = layout.cell(c, k);
      for (let row = 0; row < column.height; row++) {
        for (let col = 0; col < column.width; col++) {
          const v = bytes[k * size + row * column.width + col];
          const o = ((y + row) * layout.width + x + col) * 4;
          data[o] = data[o + 1] = data[o + 2] = v;
          data[o + 3] = 255;
        }
      }
    }
  });
  context.putImageData(image, 0, 0);
  fitCanvas(canvas, maxScale);
}

/** Sets the CSS size to a whole multiple of the canvas size that fits its container. */
export function fitCanvas(canvas: HTMLCanvasElement, maxScale = 3): void {
  // The section's width, not the parent's: image boxes shrink to fit their canvas, so theirs says nothing.
  const container = canvas.closest('section') ?? document.body;
  const available = container.clientWidth - 24 || canvas.width * maxScale;
  const scale = displayScale(canvas.width, available, maxScale);
  canvas.style.width = `${canvas.width * scale}px`;
  canvas.style.height = `${canvas.height * scale}px`;
}
