/**
 * Zoom and pan of the compare view as plain numbers, so they can be tested without a page. A view maps image
 * pixels to pane coordinates (CSS pixels): pane = image × scale + offset. Every pane of a comparison shares
 * one view (the images have one size), which is what keeps them in step.
 */
export interface View {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The largest zoom: one image pixel 64 panes pixels wide, enough to read single pixels of a photograph. */
export const MAX_SCALE = 64;
/** One key press or button click zooms by this factor. */
export const ZOOM_STEP = 1.25;

/** The image whole and centred in the pane (enlarged when smaller than the pane, as sample digits are). */
export function fitView(image: Size, pane: Size): View {
  const scale = Math.min(MAX_SCALE, pane.width / image.width, pane.height / image.height);
  return centred(image, pane, scale);
}

function centred(image: Size, pane: Size, scale: number): View {
  return { scale, x: (pane.width - image.width * scale) / 2, y: (pane.height - image.height * scale) / 2 };
}

/** The smallest zoom: a quarter of the fitted size, so the image never shrinks to a dot. */
export function minScale(image: Size, pane: Size): number {
  return Math.min(1, fitView(image, pane).scale) / 4;
}

/**
 * Keeps the image where it can be seen: along an axis where it is smaller than the pane it is centred, where
 * it is larger no empty band opens between its edge and the pane's.
 */
export function clampView(view: View, image: Size, pane: Size): View {
  const scale = Math.min(MAX_SCALE, Math.max(minScale(image, pane), view.scale));
  const axis = (offset: number, imageSide: number, paneSide: number) => {
    const shown = imageSide * scale;
    if (shown <= paneSide) return (paneSide - shown) / 2;
    return Math.min(0, Math.max(paneSide - shown, offset));
  };
  return { scale, x: axis(view.x, image.width, pane.width), y: axis(view.y, image.height, pane.height) };
}

/** Zooms by `factor` keeping the image point under (px, py) where it is (wheel zoom about the pointer). */
export function zoomAbout(view: View, factor: number, px: number, py: number, image: Size, pane: Size): View {
  const scale = Math.min(MAX_SCALE, Math.max(minScale(image, pane), view.scale * factor));
  const ratio = scale / view.scale;
  return clampView({ scale, x: px - (px - view.x) * ratio, y: py - (py - view.y) * ratio }, image, pane);
}

/** One image pixel per pane pixel (1:1), about the pane's centre. */
export function actualSize(view: View, image: Size, pane: Size): View {
  return zoomAbout(view, 1 / view.scale, pane.width / 2, pane.height / 2, image, pane);
}

export function panBy(view: View, dx: number, dy: number, image: Size, pane: Size): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, image, pane);
}

/** The wheel's zoom factor: smooth for touchpads (small deltas), about ZOOM_STEP for one mouse-wheel notch. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-Math.max(-300, Math.min(300, deltaY)) * 0.0022);
}

/** The image pixel under a pane point, or undefined off the image. */
export function imagePixelAt(view: View, px: number, py: number, image: Size): { x: number; y: number } | undefined {
  const x = Math.floor((px - view.x) / view.scale);
  const y = Math.floor((py - view.y) / view.scale);
  return x >= 0 && y >= 0 && x < image.width && y < image.height ? { x, y } : undefined;
}

/** A drawImage call's arguments: source rectangle in image pixels, destination in pane pixels. */
export interface DrawRect {
  readonly sx: number;
  readonly sy: number;
  readonly sw: number;
  readonly sh: number;
  readonly dx: number;
  readonly dy: number;
  readonly dw: number;
  readonly dh: number;
}

/**
 * Only the whole image pixels that show in the pane, and where they land: drawing them instead of the whole
 * image keeps each frame's cost to the pane's size, whatever the image's (12 megapixels pan as fast as 1).
 * Undefined when nothing of the image shows.
 */
export function visibleRect(view: View, image: Size, pane: Size): DrawRect | undefined {
  const sx = Math.max(0, Math.floor(-view.x / view.scale));
  const sy = Math.max(0, Math.floor(-view.y / view.scale));
  const ex = Math.min(image.width, Math.ceil((pane.width - view.x) / view.scale));
  const ey = Math.min(image.height, Math.ceil((pane.height - view.y) / view.scale));
  if (ex <= sx || ey <= sy) return undefined;
  return {
    sx,
    sy,
    sw: ex - sx,
    sh: ey - sy,
    dx: view.x + sx * view.scale,
    dy: view.y + sy * view.scale,
    dw: (ex - sx) * view.scale,
    dh: (ey - sy) * view.scale,
  };
}

/** The zoom as people say it: "fit (23%)" is the fitted view, otherwise "400%". */
export function zoomLabel(view: View, image: Size, pane: Size): string {
  const percent = `${Math.round(view.scale * 100)}%`;
  return Math.abs(view.scale - fitView(image, pane).scale) < 1e-9 ? `fit (${percent})` : percent;
}
