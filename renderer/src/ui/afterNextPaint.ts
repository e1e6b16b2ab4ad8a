import { useEffect, useState } from 'react';

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

/**
 * False in a component's first render and until the frame that shows it is painted, then true: for what may
 * follow the first frame (rows beyond the visible ones, cards below the fold) without holding it back.
 */
export function usePainted(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let current = true;
    void afterNextPaint().then(() => current && setPainted(true));
    return () => {
      current = false;
    };
  }, []);
  return painted;
}
