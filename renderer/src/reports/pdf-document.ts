import * as pdfjsLib from 'pdfjs-dist';
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { AppError } from '../../../shared/errors';
import { fetchPdfBytes } from './pdf-bytes';
import { prepareFirstPage } from './pdf-first-page';

/**
 * A report's PDF opened in pdf.js, shared by whoever holds it: the report screen holds it from the moment the
 * officer reads the report (so clicking the PDF tab pays no fetch and no parse), the PDF tab while it is shown.
 * The last holder to let go destroys the document: nothing of it outlives the report screen.
 */

pdfjsLib.GlobalWorkerOptions.workerSrc = workerUrl;

// One pdf.js worker for the app's lifetime, started when this chunk loads (the report screen preloads it):
// a worker per document would fetch and compile pdf.js's 1 MB worker script before every first page.
let sharedWorker: pdfjsLib.PDFWorker | null = null;
function pdfWorker(): pdfjsLib.PDFWorker {
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new pdfjsLib.PDFWorker();
  return sharedWorker;
}
pdfWorker();

/** pdf.js's own errors for a file it cannot read, in the officer's words; anything else as it is. */
function unreadable(err: unknown): unknown {
  const name = err instanceof Error ? err.name : '';
  if (!['InvalidPDFException', 'PasswordException', 'UnknownErrorException'].includes(name)) return err;
  return new AppError(
    {
      code: 'PDF_UNREADABLE',
      message:
        'Plaid’s PDF of this report could not be read (it may be damaged). Try again; if it still fails, refresh the report to get a new PDF from Plaid.',
      retryable: true,
    },
    { cause: err },
  );
}

export interface OpenedPdf {
  doc: PDFDocumentProxy;
  firstPage: PDFPageProxy;
}

export interface HeldPdf {
  /** The document and its page 1, once open. */
  readonly ready: Promise<OpenedPdf>;
  /** The same, set as soon as it is open: a viewer shown later starts drawing in the very frame it mounts. */
  current(): OpenedPdf | null;
  release(): void;
}

interface OpenDocument {
  holders: number;
  /** Set once the bytes are in: destroying it destroys the document, in the page and in the worker. */
  task: PDFDocumentLoadingTask | null;
  ready: Promise<OpenedPdf>;
  opened: OpenedPdf | null;
}

const documents = new Map<string, OpenDocument>();

function open(reportId: string): OpenDocument {
  const entry: OpenDocument = {
    holders: 0,
    task: null,
    ready: undefined as unknown as Promise<OpenedPdf>,
    opened: null,
  };
  const wanted = () => documents.get(reportId) === entry;
  entry.ready = fetchPdfBytes(reportId).then(async (data) => {
    if (!wanted()) throw new Error('The PDF was closed before it opened.');
    // Untrusted input: never let a PDF evaluate code (CVE-2024-4367). pdf.js 6 has no eval path left; the flag
    // stays so that an older pdf.js resolved by mistake is still safe. The bytes move to the worker, not copied.
    const params: DocumentInitParameters & { isEvalSupported: false } = {
      data,
      isEvalSupported: false,
      enableXfa: false,
      worker: pdfWorker(),
    };
    const task = (entry.task = pdfjsLib.getDocument(params));
    const doc = await task.promise.catch((err: unknown) => {
      const officerError = unreadable(err);
      // Not a file pdf.js could not read: maybe a worker that failed to start, which stays failed, so the next
      // attempt (Retry) gets a fresh one.
      if (officerError === err && wanted()) sharedWorker?.destroy();
      throw officerError;
    });
    const firstPage = await doc.getPage(1);
    // A tab opened meanwhile draws with what this has prepared so far (pdf.js shares it between renders).
    entry.opened = { doc, firstPage };
    await prepareFirstPage(firstPage).catch(() => undefined); // the tab's own drawing shows what went wrong
    if (!wanted()) throw new Error('The PDF was closed before it opened.');
    return entry.opened;
  });
  entry.ready.catch(() => {
    // A failed open is forgotten, so the next holder (Retry) asks again; its current holders see the error.
    if (wanted()) documents.delete(reportId);
    void entry.task?.destroy();
  });
  return entry;
}

/** The report's document if it is open already (nothing is opened or held). */
export function openedPdfDocument(reportId: string): OpenedPdf | null {
  return documents.get(reportId)?.opened ?? null;
}

/** Opens (or joins) the report's PDF document; `release` when done with it. */
export function holdPdfDocument(reportId: string): HeldPdf {
  let entry = documents.get(reportId);
  if (!entry) {
    entry = open(reportId);
    documents.set(reportId, entry);
  }
  const held = entry;
  held.holders += 1;
  let released = false;
  return {
    ready: held.ready,
    current: () => (released ? null : held.opened),
    release() {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      if (documents.get(reportId) === held) documents.delete(reportId);
      held.opened = null;
      void held.task?.destroy();
    },
  };
}
