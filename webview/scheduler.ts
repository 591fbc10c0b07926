/**
 * Redraws at most about ten times a second however fast messages arrive: messages update the page's
 * state at once, the charts and images are drawn from it on the next tick of this scheduler.
 */
export const REDRAW_INTERVAL_MS = 100;

/** How long to wait before drawing, given when the last draw happened. */
export function redrawDelay(lastDrawAt: number, now: number, interval = REDRAW_INTERVAL_MS): number {
  return Math.max(0, lastDrawAt + interval - now);
}

export function redrawScheduler(draw: () => void, now: () => number = () => performance.now()): () => void {
  let lastDrawAt = -Infinity;
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setTimeout(
      () => {
        pending = false;
        lastDrawAt = now();
        draw();
      },
      redrawDelay(lastDrawAt, now()),
    );
  };
}
