import { lazy, useState } from 'react';
import { loadedPdfViewer, loadPdfViewer } from './pdf-preload';

const LazyPdfViewer = lazy(loadPdfViewer);

/**
 * The PDF tab's content. Its code is usually loaded before the click (./pdf-preload): the viewer then renders in
 * the click's own frame. Through `lazy` alone it would suspend once even so, and React holds back a suspended
 * tab's content for a few hundred ms after its fallback shows.
 */
export function PdfTab({ reportId }: { reportId: string }) {
  // Chosen once: switching from the lazy wrapper to the loaded component later would remount the viewer.
  const [Viewer] = useState(() => loadedPdfViewer() ?? LazyPdfViewer);
  return <Viewer reportId={reportId} />;
}
