import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import type { CDPSession, Page } from 'playwright';
import type { BenchFigure } from './types';

/** Shared by the suites that compare a figure with its floor (the bare unavoidable work) or a peer. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Wall time of `fn`, awaited (the store answers asynchronously, whichever engine is under it). */
export async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** This process's CPU time for `fn`: on the shared 2-core machine, wall time also counts other jobs' turns. */
export async function cpuTimed(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Median of `runs` sequential measurements. */
export async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i += 1) values.push(await measure());
  return median(values);
}

/** `figure ÷ floor`: how many times the bare cost of the same work on the same bytes our figure is. */
export function floorRatio(name: string, figure: number, floor: number, target?: number): BenchFigure {
  return { name, value: figure / floor, unit: 'x', ...(target !== undefined ? { target } : {}) };
}

/** `peer ÷ ours`: how many times slower the alternative is on the same data (above 1 means we are faster). */
export function peerRatio(name: string, peer: number, ours: number): BenchFigure {
  return { name, value: peer / ours, unit: 'x' };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves one folder on loopback: the peer and floor pages and the same report bytes the app shows. */
export async function serveFolder(dir: string): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '');
    const file = join(dir, path || 'index.html');
    if (!file.startsWith(dir + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const here = fileURLToPath(new URL('.', import.meta.url));
const pageHtml = (script: string, css?: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">${
    css ? `<link rel="stylesheet" href="${css}">` : ''
  }</head><body style="margin:0"><div id="root"></div><script type="module" src="${script}"></script></body></html>`;

/**
 * Builds the standalone floor and peer pages (tests/bench/peers/*) with esbuild into `outDir`, next to
 * pdf.js's worker. They are bench-only pages: nothing in the app imports them.
 */
export async function buildPeerPages(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const entries = ['pdf-alone', 'pdf-stock-viewer', 'quickstart-viewer'];
  await build({
    entryPoints: entries.map((e) => join(here, 'peers', `${e}.${e === 'quickstart-viewer' ? 'tsx' : 'ts'}`)),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    target: 'es2022',
    jsx: 'automatic',
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.gif': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  copyFileSync(
    fileURLToPath(import.meta.resolve('pdfjs-dist/build/pdf.worker.min.mjs')),
    join(outDir, 'pdf.worker.min.mjs'),
  );
  writeFileSync(
    join(outDir, 'blank.html'),
    '<!doctype html><html><head><link rel="icon" href="data:,"></head><body></body></html>',
  );
  writeFileSync(join(outDir, 'pdf-alone.html'), pageHtml('./pdf-alone.js'));
  writeFileSync(join(outDir, 'pdf-stock-viewer.html'), pageHtml('./pdf-stock-viewer.js', './pdf-stock-viewer.css'));
  writeFileSync(join(outDir, 'quickstart-viewer.html'), pageHtml('./quickstart-viewer.js'));
}

/** The renderer's JS heap through the DevTools protocol, as Chromium's own Performance panel reads it. */
export interface HeapProbe {
  used(): Promise<number>;
  /** Full GC, then the heap that is really held. */
  settled(): Promise<number>;
  /** Samples the heap while `work` runs and returns the highest value seen (a peak between samples is missed). */
  peakDuring(work: () => Promise<unknown>): Promise<number>;
  /** The same, and the highest sum of the page's heap and `other` (e.g. a worker's) sampled at the same moment. */
  peaksDuring(work: () => Promise<unknown>, other: () => Promise<number>): Promise<{ page: number; combined: number }>;
}

export async function heapProbe(page: Page): Promise<HeapProbe> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  const used = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  };
  const probe: HeapProbe = {
    used,
    async settled() {
      // Twice: objects freed by the first pass's finalizers go in the second.
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return used();
    },
    async peakDuring(work) {
      return (await probe.peaksDuring(work, async () => 0)).page;
    },
    async peaksDuring(work, other) {
      const peaks = { page: 0, combined: 0 };
      const sample = async () => {
        const [page, more] = await Promise.all([used(), other()]);
        peaks.page = Math.max(peaks.page, page);
        peaks.combined = Math.max(peaks.combined, page + more);
      };
      await sample();
      let done = false;
      const sampling = (async () => {
        while (!done) {
          await sample();
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      try {
        await work();
      } finally {
        done = true;
        await sampling;
      }
      await sample();
      return peaks;
    },
  };
  return probe;
}

/**
 * The JS heap of the page's dedicated workers whose script URL contains `urlPart` (CDP auto-attach): the page's
 * heap figure leaves workers out, so work moved into one must be counted here. 0 while no such worker runs.
 */
export async function workerHeapProbe(page: Page, urlPart: string): Promise<Pick<HeapProbe, 'used' | 'settled'>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const sessions = new Set<string>();
  const replies = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type === 'worker' && event.targetInfo.url.includes(urlPart)) sessions.add(event.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (event) => {
    if (event.sessionId) sessions.delete(event.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) replies.get(message.id)?.(message.result ?? {});
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const send = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`worker ${method} got no answer`)), 10_000);
      replies.set(id, (result) => {
        clearTimeout(timer);
        replies.delete(id);
        resolve(result);
      });
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
    });
  const used = async () => {
    let total = 0;
    for (const session of sessions)
      total += ((await send(session, 'Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    return total;
  };
  return {
    used,
    async settled() {
      for (const session of sessions) {
        await send(session, 'HeapProfiler.enable');
        await send(session, 'HeapProfiler.collectGarbage');
        await send(session, 'HeapProfiler.collectGarbage');
      }
      return used();
    },
  };
}

let gcFunction: (() => void) | null = null;

/**
 * A full garbage collection now, outside any timed region: figures taken in turns then each start from a clean
 * heap instead of paying for the garbage the previous one left (e.g. a parsed 35 MB report).
 */
export function collectGarbage(): void {
  if (!gcFunction) {
    // `gc` exists only with --expose-gc: turn the flag on at run time and take the function from a fresh context.
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}
