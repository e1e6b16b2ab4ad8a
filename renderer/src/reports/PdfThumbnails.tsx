import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { whenIdle } from '../ui';

const THUMB_WIDTH = 96;
const THUMB_BATCH = 40;
/** Each thumbnail and each batch of entries waits for an idle moment, this long at most. */
const IDLE_WITHIN_MS = 500;

// A thumbnail draws all of its page's text, as page 1 does: the visible ones drawn together held the main
// thread for a few hundred ms just after page 1. One at a time, each in an idle moment, the page stays live.
let thumbQueue: Promise<void> = Promise.resolve();
function drawInTurn(draw: () => Promise<void>): void {
  thumbQueue = thumbQueue.then(
    () => new Promise<void>((resolve) => void whenIdle(() => void draw().finally(resolve), IDLE_WITHIN_MS)),
  );
}

/**
 * Thumbnails render only when scrolled into view, at a small size, so 500 pages cost nothing up front
 * (the list itself is shown only after the main view's first page, so it never delays it).
 */
export function Thumbnails({
  doc,
  current,
  onSelect,
}: {
  doc: PDFDocumentProxy;
  current: number;
  onSelect(page: number): void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  // Added a batch per idle moment: 500 entries at once held the main thread ~100 ms right after page 1,
  // so the page could not scroll. A page jumped to further on is listed at once.
  const [listed, setListed] = useState(() => Math.min(doc.numPages, THUMB_BATCH));
  useEffect(() => {
    if (listed >= doc.numPages) return;
    return whenIdle(() => setListed((n) => Math.min(doc.numPages, n + THUMB_BATCH)), IDLE_WITHIN_MS);
  }, [listed, doc.numPages]);
  const pages = Array.from({ length: Math.max(listed, Math.min(current, doc.numPages)) }, (_, i) => i + 1);
  useEffect(() => {
    const active = listRef.current?.querySelector<HTMLElement>(`[data-page="${current}"]`);
    active?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  return (
    <nav className="rp-thumbs" aria-label="Page thumbnails">
      <ol ref={listRef}>
        {pages.map((n) => (
          <li key={n} data-page={n}>
            <button
              type="button"
              className="rp-thumb"
              aria-current={n === current ? 'page' : undefined}
              aria-label={`Page ${n}`}
              onClick={() => onSelect(n)}
            >
              <Thumbnail doc={doc} pageNumber={n} />
              <span aria-hidden="true">{n}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Thumbnail({ doc, pageNumber }: { doc: PDFDocumentProxy; pageNumber: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let task: { cancel(): void } | null = null;
    let done = false;
    let cancelled = false;
    const observer = new IntersectionObserver((entries) => {
      if (done || !entries.some((e) => e.isIntersecting)) return;
      done = true;
      observer.disconnect();
      drawInTurn(async () => {
        if (cancelled) return;
        try {
          const page = await doc.getPage(pageNumber);
          const base = page.getViewport({ scale: 1 });
          const viewport = page.getViewport({ scale: THUMB_WIDTH / base.width });
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          const render = page.render({ canvas, viewport });
          task = render;
          await render.promise;
        } catch {
          // A thumbnail that fails (document closed while scrolling) just stays blank.
        }
      });
    });
    observer.observe(canvas);
    return () => {
      cancelled = true;
      observer.disconnect();
      task?.cancel();
    };
  }, [doc, pageNumber]);
  return (
    <canvas ref={canvasRef} className="rp-thumb-canvas" width={THUMB_WIDTH} height={Math.round(THUMB_WIDTH * 1.294)} />
  );
}
