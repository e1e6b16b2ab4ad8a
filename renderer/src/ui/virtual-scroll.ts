import { useEffect, useState, type RefObject } from 'react';
import { usePainted } from './afterNextPaint';

/** A row a windowed list draws: its index in the list and its top in the scroll box (px). */
export interface PlacedRow {
  index: number;
  start: number;
}

/**
 * Windowing for a list whose rows all have one height: which rows to draw for where its box is scrolled, by
 * arithmetic. (A measuring virtualizer keeps a measurement per row and builds them again whenever the count
 * changes: milliseconds at 50,000 rows, on opening and on each filter keystroke.) The box's height comes from a
 * ResizeObserver, so mounting the list forces no layout of its own; until its first report, `initialHeight`
 * (what the box's CSS makes it) stands in. The rows start at the box's top.
 */
export function useFixedRowWindow(options: {
  count: number;
  rowHeight: number;
  /** Rows drawn beyond each edge of the box once the list is painted, so a quick scroll shows no gap. */
  overscan: number;
  scrollRef: RefObject<HTMLElement | null>;
  initialHeight: () => number;
  /** The screen's first frame on screen: the overscan waits for it too (see usePainted). */
  shown?: Promise<void>;
}): { totalSize: number; rows: PlacedRow[] } {
  const { count, rowHeight, overscan, scrollRef } = options;
  const [height, setHeight] = useState(options.initialHeight);
  // The first frame draws only the rows in view; the overscan follows once it is painted.
  const painted = usePainted(options.shown);
  // The first row at the box's top: a scroll within one row changes nothing, so it renders nothing.
  const [firstInView, setFirstInView] = useState(0);
  useEffect(() => {
    const box = scrollRef.current;
    if (!box) return;
    const onScroll = () => setFirstInView(Math.floor(box.scrollTop / rowHeight));
    box.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setHeight(Math.round(entry.contentRect.height));
    });
    observer.observe(box);
    return () => {
      box.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, [scrollRef, rowHeight]);
  const beyond = painted ? overscan : 0;
  const first = Math.max(0, Math.min(firstInView, count) - beyond);
  const last = Math.min(count, firstInView + Math.ceil(height / rowHeight) + 1 + beyond);
  const rows: PlacedRow[] = [];
  for (let index = first; index < last; index++) rows.push({ index, start: index * rowHeight });
  return { totalSize: count * rowHeight, rows };
}

/**
 * A scroll box's height as `min(vh% of the window, max px)`: the CSS value and, before the first layout, the
 * pixels it comes to, from one pair of numbers.
 */
export function boundedBoxHeight(vh: number, maxPx: number): { css: string; px: () => number } {
  return {
    css: `min(${vh}vh, ${maxPx}px)`,
    px: () => Math.min(Math.round((window.innerHeight * vh) / 100), maxPx),
  };
}
