/**
 * Resolves once the page has painted its next frame (that frame's callback, then a task after it), or after
 * 100 ms at most: a hidden window paints no frames, and what waits for this must still arrive.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      resolve();
    };
    const frame = requestAnimationFrame(() => setTimeout(done, 0));
    const timer = setTimeout(done, 100);
  });
}
