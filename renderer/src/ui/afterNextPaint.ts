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
 * follow the first frame (rows beyond the visible ones, cards below the fold) without holding it back. Given
 * `after` (a screen's first frame on screen, see afterShown), it waits for that too, then for the next paint.
 */
export function usePainted(after?: Promise<void>): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let current = true;
    const shown = after ? after.then(afterNextPaint) : afterNextPaint();
    void shown.then(() => current && setPainted(true));
    return () => {
      current = false;
    };
  }, [after]);
  return painted;
}

/** Element Timing's view of an entry: the name given by the element's `elementtiming` attribute. */
type ElementTimingEntry = PerformanceEntry & { identifier?: string };

/**
 * Resolves once the browser has shown a frame with the element marked `elementtiming={identifier}` in it, as
 * Element Timing reports (its first paint, once on screen), or after `fallbackMs` at most: an element never
 * painted (a hidden window, one shown before this call) must not hold back what waits. For work that would
 * otherwise share the cores with drawing and showing that frame. Where Element Timing is missing: afterNextPaint.
 */
export function afterShown(identifier: string, fallbackMs = 100): Promise<void> {
  if (typeof PerformanceObserver !== 'function' || !PerformanceObserver.supportedEntryTypes.includes('element'))
    return afterNextPaint();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      observer.disconnect();
      resolve();
    };
    const timer = setTimeout(done, fallbackMs);
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => (e as ElementTimingEntry).identifier === identifier)) done();
    });
    observer.observe({ type: 'element' });
  });
}

declare module 'react' {
  // The type parameter must match React's own declaration for the two to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface HTMLAttributes<T> {
    /** Element Timing's name for the element (see afterShown); React passes it to the DOM as written. */
    elementtiming?: string;
  }
}
