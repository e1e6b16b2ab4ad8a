import { useCallback, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import * as pdfjsLib from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import 'pdfjs-dist/web/pdf_viewer.css';
import { Button, ErrorState, Skeleton, whenIdle } from '../ui';
import { holdPdfDocument, openedPdfDocument } from './pdf-document';
import { drawFirstPage, type FirstPage } from './pdf-first-page';
import { printDocument } from './pdf-print';
import { Thumbnails } from './PdfThumbnails';

// pdf_viewer.mjs reads the library from globalThis, so it must be set before the viewer loads.
(globalThis as unknown as { pdfjsLib: typeof pdfjsLib }).pdfjsLib = pdfjsLib;
const viewerModule = import('pdfjs-dist/web/pdf_viewer.mjs');
type ViewerModule = Awaited<typeof viewerModule>;
type Viewer = InstanceType<ViewerModule['PDFViewer']>;
type Bus = InstanceType<ViewerModule['EventBus']>;

// Until the officer reaches for the viewer (these, or a toolbar control), page 1 is shown alone.
const REACHING_FOR_THE_VIEWER = ['pointerdown', 'wheel', 'keydown'] as const;
// ... or until they have had this long to look at it (then the viewer attaches in the next idle moment).
const ATTACH_AFTER_MS = 200;
// That idle moment comes within this long at the latest.
const IDLE_WITHIN_MS = 500;

/** Resolves once `element` has a width (a hidden tab has none); never, if `signal` aborts first. */
function laidOut(element: HTMLElement, signal: AbortSignal): Promise<void> {
  if (element.clientWidth > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === 0) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(element);
    signal.addEventListener('abort', () => observer.disconnect());
  });
}

/**
 * Names each page region pdf.js lays out in `container` "Page N". pdf.js names them through its Fluent strings,
 * which wrap the number in invisible direction marks ("Page \u20681\u2069") that screen readers may read out;
 * its name is replaced as soon as it is set. Answers the function that stops it.
 */
function namePagesPlainly(container: HTMLElement): () => void {
  const name = (node: Node) => {
    if (!(node instanceof HTMLElement) || !node.classList.contains('page') || !node.dataset.pageNumber) return;
    if (node.getAttribute('role') !== 'region') return; // page 1 drawn alone has no name to give
    const label = `Page ${node.dataset.pageNumber}`;
    if (node.getAttribute('aria-label') !== label) node.setAttribute('aria-label', label);
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') name(record.target);
      else record.addedNodes.forEach(name);
    }
  });
  observer.observe(container, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  container.querySelectorAll('.page').forEach(name);
  return () => observer.disconnect();
}

/**
 * Plaid's PDF, fetched through the main process and shown with pdf.js's own viewer components.
 * Page 1 is drawn first, alone (the document is usually open before the tab is clicked: ./pdf-preload);
 * pdf.js's viewer then renders the other pages lazily as they scroll into view.
 */
export default function PdfViewer({ reportId }: { reportId: string }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<Viewer | null>(null);
  const busRef = useRef<Bus | null>(null);
  // What the officer asked for before the full viewer was attached (a page, a zoom, a search): done once it is.
  const waitingRef = useRef<((viewer: Viewer, bus: Bus) => void)[]>([]);
  const attachNowRef = useRef<(() => void) | null>(null);
  // Already open, usually (./pdf-preload): the toolbar shows the page count from the first render.
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(() => openedPdfDocument(reportId)?.doc ?? null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState(1);
  const [pageInput, setPageInput] = useState('1');
  const [scaleLabel, setScaleLabel] = useState('page-width');
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<{ current: number; total: number } | null>(null);
  const [findState, setFindState] = useState<'idle' | 'found' | 'not_found' | 'pending'>('idle');
  const [showThumbs, setShowThumbs] = useState(true);
  const [printing, setPrinting] = useState(false);
  const [firstPageShown, setFirstPageShown] = useState(false);
  const [viewerShown, setViewerShown] = useState(false);
  const ids = useId();

  // A layout effect: when the report screen has opened the document already, page 1 starts drawing in the
  // same task as the click that showed the tab.
  useLayoutEffect(() => {
    let cancelled = false;
    const closed = new AbortController();
    const held = holdPdfDocument(reportId);
    let firstPage: FirstPage | null = null;
    let pdfViewer: Viewer | null = null;
    let cancelIdle: (() => void) | null = null;
    let stopWaiting = () => {};
    let stopNaming = () => {};
    (async () => {
      const opened = held.current() ?? (await held.ready);
      const container = containerRef.current;
      if (cancelled || !container) return;
      setDoc(opened.doc);
      // The officer may have left the tab while the document opened: page 1 is sized for the tab's width.
      await laidOut(container, closed.signal);
      if (cancelled) return;
      // 1. Page 1 alone, drawn straight into its place.
      firstPage = drawFirstPage(container, opened.firstPage);
      await firstPage.shown;
      if (cancelled) return;
      flushSync(() => setFirstPageShown(true)); // the loading state goes in the frame page 1 comes in
      // 2. The full viewer (every page, scrolling, text layer, find) attaches beneath it when the officer first
      // reaches for it, or once the page is idle after they have had a moment to look: never in page 1's frames.
      await new Promise<void>((resolve) => {
        const attach = () => {
          stopWaiting();
          resolve();
        };
        const timer = window.setTimeout(() => (cancelIdle = whenIdle(attach, IDLE_WITHIN_MS)), ATTACH_AFTER_MS);
        for (const type of REACHING_FOR_THE_VIEWER) container.addEventListener(type, attach, { passive: true });
        attachNowRef.current = attach;
        stopWaiting = () => {
          clearTimeout(timer);
          cancelIdle?.();
          for (const type of REACHING_FOR_THE_VIEWER) container.removeEventListener(type, attach);
          attachNowRef.current = null;
        };
      });
      await laidOut(container, closed.signal); // the officer may have left the tab meanwhile
      const viewer = await viewerModule;
      if (cancelled) return;
      const eventBus = new viewer.EventBus();
      const linkService = new viewer.PDFLinkService({ eventBus });
      const findController = new viewer.PDFFindController({ eventBus, linkService });
      pdfViewer = new viewer.PDFViewer({
        container,
        eventBus,
        linkService,
        findController,
        removePageBorders: false,
        // Officers read Plaid's PDF, they do not annotate it: no editing layer to set up (or to keep alive).
        annotationEditorMode: pdfjsLib.AnnotationEditorType.DISABLE,
      });
      linkService.setViewer(pdfViewer);
      stopNaming = namePagesPlainly(container);
      // Page 1 alone stays over the viewer's own until that one is drawn at the same place and size.
      const dropFirstPage = () => {
        firstPage?.remove();
        setViewerShown(true);
      };
      eventBus.on('pagesinit', () => {
        const scrolledTo = container.scrollTop;
        pdfViewer!.currentScaleValue = 'page-width';
        container.scrollTop = scrolledTo; // where the officer had scrolled page 1 to (pdf.js goes to its top)
        eventBus.on('scalechanging', dropFirstPage); // a zoom: page 1 alone no longer fits the viewer's
        // The pages are laid out: the toolbar's controls work from here on.
        viewerRef.current = pdfViewer;
        busRef.current = eventBus;
        for (const run of waitingRef.current.splice(0)) run(pdfViewer!, eventBus);
      });
      eventBus.on('pagerendered', (event: { pageNumber: number }) => event.pageNumber === 1 && dropFirstPage());
      eventBus.on('pagechanging', (event: { pageNumber: number }) => {
        setPage(event.pageNumber);
        setPageInput(String(event.pageNumber));
      });
      eventBus.on('scalechanging', (event: { presetValue?: string; scale: number }) => {
        setScaleLabel(event.presetValue ?? String(event.scale));
      });
      eventBus.on('updatefindmatchescount', (event: { matchesCount: { current: number; total: number } }) => {
        setMatches(event.matchesCount);
      });
      eventBus.on(
        'updatefindcontrolstate',
        (event: { state: number; matchesCount?: { current: number; total: number } }) => {
          const FindState = viewer.FindState;
          setFindState(
            event.state === FindState.NOT_FOUND ? 'not_found' : event.state === FindState.PENDING ? 'pending' : 'found',
          );
          if (event.matchesCount) setMatches(event.matchesCount);
        },
      );
      pdfViewer.setDocument(opened.doc);
      linkService.setDocument(opened.doc, null);
    })().catch((err: unknown) => {
      if (!cancelled) setError(err);
    });
    return () => {
      cancelled = true;
      closed.abort();
      stopWaiting();
      stopNaming();
      firstPage?.remove();
      pdfViewer?.setDocument(null as unknown as PDFDocumentProxy);
      viewerRef.current = null;
      busRef.current = null;
      waitingRef.current = [];
      held.release();
    };
  }, [reportId, attempt]);

  /** Runs `act` on the full viewer now, or as soon as it has attached and laid out its pages. */
  const withViewer = useCallback((act: (viewer: Viewer, bus: Bus) => void) => {
    if (viewerRef.current && busRef.current) act(viewerRef.current, busRef.current);
    else {
      waitingRef.current.push(act);
      attachNowRef.current?.();
    }
  }, []);

  const find = useCallback(
    (type: '' | 'again', findPrevious = false, text = query) => {
      if (text.trim() === '') return;
      withViewer((_, bus) =>
        bus.dispatch('find', {
          source: null,
          type,
          query: text,
          caseSensitive: false,
          entireWord: false,
          highlightAll: true,
          findPrevious,
          matchDiacritics: false,
        }),
      );
    },
    [query, withViewer],
  );

  function goTo(pageNumber: number) {
    if (!doc) return;
    const clamped = Math.min(Math.max(1, Math.round(pageNumber)), doc.numPages);
    setPageInput(String(clamped));
    withViewer((viewer) => (viewer.currentPageNumber = clamped));
  }
  function setScale(value: string) {
    withViewer((viewer) => (viewer.currentScaleValue = value));
  }
  function zoom(step: number) {
    withViewer((viewer) => {
      viewer.currentScale = Math.min(4, Math.max(0.25, Math.round((viewer.currentScale + step) * 100) / 100));
    });
  }

  async function print() {
    if (!doc) return;
    setPrinting(true);
    try {
      await printDocument(doc);
    } catch (err) {
      setError(err);
    } finally {
      setPrinting(false);
    }
  }

  function onFindKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(matches && findState !== 'not_found' ? 'again' : '', event.shiftKey);
    }
  }

  if (error)
    return (
      <ErrorState
        error={error}
        title="The PDF could not be shown"
        onRetry={() => {
          setError(null);
          setDoc(null);
          setFirstPageShown(false);
          setViewerShown(false);
          setAttempt((a) => a + 1);
        }}
      />
    );

  const scalePercent = /^[\d.]+$/.test(scaleLabel) ? `${Math.round(Number(scaleLabel) * 100)}%` : null;
  return (
    <div
      className="rp-pdf"
      data-testid="pdf-viewer"
      data-pages={doc?.numPages ?? 0}
      data-shown={viewerShown ? 'viewer' : firstPageShown ? 'first-page' : 'loading'}
    >
      <div className="toolbar rp-pdf-toolbar" role="toolbar" aria-label="PDF controls">
        <Button size="small" variant="ghost" aria-pressed={showThumbs} onClick={() => setShowThumbs((v) => !v)}>
          Thumbnails
        </Button>
        <span className="rp-pdf-group">
          <Button size="small" onClick={() => goTo(page - 1)} disabled={!doc || page <= 1} aria-label="Previous page">
            ‹
          </Button>
          <label className="rp-pdf-page">
            <span className="visually-hidden">Page number</span>
            <input
              type="number"
              min={1}
              max={doc?.numPages ?? 1}
              value={pageInput}
              data-testid="pdf-page-input"
              onChange={(e) => setPageInput(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') goTo(Number(pageInput));
              }}
              onBlur={() => goTo(Number(pageInput))}
            />
          </label>
          <span data-testid="pdf-page-count">of {doc?.numPages ?? '…'}</span>
          <Button
            size="small"
            onClick={() => goTo(page + 1)}
            disabled={!doc || page >= (doc?.numPages ?? 1)}
            aria-label="Next page"
          >
            ›
          </Button>
        </span>
        <span className="rp-pdf-group">
          <Button size="small" onClick={() => zoom(-0.1)} aria-label="Zoom out">
            −
          </Button>
          <label>
            <span className="visually-hidden">Zoom</span>
            <select
              value={scalePercent ? 'custom' : scaleLabel}
              onChange={(e) => setScale(e.target.value)}
              data-testid="pdf-zoom"
            >
              <option value="page-width">Fit width</option>
              <option value="page-fit">Fit page</option>
              <option value="1">100%</option>
              {scalePercent && <option value="custom">{scalePercent}</option>}
            </select>
          </label>
          <Button size="small" onClick={() => zoom(0.1)} aria-label="Zoom in">
            +
          </Button>
        </span>
        <span className="rp-pdf-group" role="search">
          <label htmlFor={`${ids}-find`} className="visually-hidden">
            Find in the PDF
          </label>
          <input
            id={`${ids}-find`}
            type="search"
            placeholder="Find in PDF"
            value={query}
            data-testid="pdf-find"
            onChange={(e) => {
              setQuery(e.target.value);
              setMatches(null);
              setFindState('idle');
            }}
            onKeyDown={onFindKey}
          />
          <Button
            size="small"
            onClick={() => find(matches ? 'again' : '', true)}
            disabled={!query}
            aria-label="Previous match"
          >
            ↑
          </Button>
          <Button
            size="small"
            onClick={() => find(matches ? 'again' : '')}
            disabled={!query}
            aria-label="Next match"
            data-testid="pdf-find-next"
          >
            ↓
          </Button>
          <span aria-live="polite" className="muted" data-testid="pdf-find-result" data-total={matches?.total ?? ''}>
            {findState === 'not_found'
              ? 'No matches'
              : matches && matches.total > 0
                ? `${matches.current} of ${matches.total}`
                : ''}
          </span>
        </span>
        <span className="spacer" />
        <Button size="small" onClick={print} busy={printing} disabled={!doc} data-testid="pdf-print">
          Print
        </Button>
      </div>
      <div className="rp-pdf-body">
        {/* The thumbnail column keeps its width from the start (page 1 is drawn at its final width once), but its
            hundreds of entries are made only once the full viewer has drawn page 1: they never delay it. */}
        {showThumbs &&
          (doc && viewerShown ? (
            <Thumbnails doc={doc} current={page} onSelect={goTo} />
          ) : (
            <nav className="rp-thumbs" aria-label="Page thumbnails" aria-busy="true" />
          ))}
        <div className="rp-pdf-stage">
          {!firstPageShown && (
            <div className="rp-pdf-loading">
              <Skeleton lines={6} label="Loading the PDF" />
            </div>
          )}
          <div
            ref={containerRef}
            className="rp-pdf-container"
            tabIndex={0}
            aria-label="PDF pages"
            data-testid="pdf-container"
          >
            <div className="pdfViewer" />
          </div>
        </div>
      </div>
    </div>
  );
}
