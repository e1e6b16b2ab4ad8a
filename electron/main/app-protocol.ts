import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CustomScheme, Net, Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './security';

/**
 * The UI is served from `app://assetdesk/…`, never from file://: a real origin lets the CSP say
 * 'self', keeps Plaid Link's iframe messaging working (file:// gives an opaque origin) and lets
 * the path resolver below decide exactly which files the page can reach.
 */

/** Standard + secure so 'self', fetch and module scripts work; no CSP bypass, no service workers. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    corsEnabled: false,
    stream: false,
  },
};

/** Must run before `app` is ready (Electron only accepts scheme privileges then). */
export function registerAppSchemePrivileges(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

// Percent-encodings of '.', '/', '\', '%' and NUL: a legitimate asset path never needs them, and
// decoding them is how traversal slips past a resolver.
const ENCODED_DANGER = /%(?:2e|2f|5c|25|00)/i;
const APP_PREFIX = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Maps an `app://assetdesk/<path>` request to an absolute path inside `rootDir`, or null when the
 * request is for another host, or tries to leave rootDir: `..`, encoded or double-encoded
 * separators and dots, backslashes, absolute or drive paths, NUL bytes, or a symlink pointing out.
 * `/` maps to index.html. A path that does not exist is returned as is (the handler answers 404).
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  // Judge the raw text: URL parsing would silently normalise `..` and `%2e%2e` before we see them.
  if (requestUrl.slice(0, APP_PREFIX.length).toLowerCase() !== APP_PREFIX) return null;
  const rest = requestUrl.slice(APP_PREFIX.length);
  if (rest !== '' && !/^[/?#]/.test(rest)) return null; // app://assetdesk.evil, app://assetdesk:80, …
  let parsed: URL;
  try {
    parsed = new URL(requestUrl);
  } catch {
    return null;
  }
  if (
    parsed.protocol !== `${APP_SCHEME}:` ||
    parsed.hostname !== APP_HOST ||
    parsed.port !== '' ||
    parsed.username !== ''
  ) {
    return null;
  }
  return resolveStaticPath(rootDir, rest);
}

/**
 * The path part of a request as sent (`/assets/a.js?x`, not yet normalised) → an absolute file
 * inside `rootDir`, or null. Shared by app:// and the web bridge: one resolver, one set of rules.
 */
export function resolveStaticPath(rootDir: string, rawRequestPath: string): string | null {
  const rawPath = rawRequestPath.split(/[?#]/, 1)[0] ?? '';
  if (rawPath.includes('\\') || rawPath.includes('\0') || ENCODED_DANGER.test(rawPath)) return null;

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\\') || [...decoded].some((char) => char.charCodeAt(0) < 0x20)) return null;
  const relativePath = decoded.replace(/^\//, '');
  if (relativePath.startsWith('/') || isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath)) return null;

  const segments = relativePath === '' ? ['index.html'] : relativePath.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null;

  let root: string;
  try {
    root = realpathSync(rootDir);
  } catch {
    return null;
  }
  const candidate = resolve(root, ...segments);
  if (!isInside(root, candidate)) return null;
  try {
    // A symlink inside the build folder must not lead outside it.
    if (!isInside(root, realpathSync(candidate))) return null;
  } catch {
    // Missing file: nothing to follow; the lexical check above already holds.
  }
  return candidate;
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

/** MIME type by extension; unknown files are served as opaque bytes (and nosniff stops guessing). */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticFileServerOptions {
  /** The file a request names, or null (answered 404). */
  resolve(request: Request): string | null;
  /** The file's bytes as a body, or null when it cannot be read. */
  open(filePath: string): Promise<ReadableStream<Uint8Array> | null>;
  /** A function policy is read per request: it follows the environment. */
  csp: string | (() => string);
}

/**
 * The one static-file server: GET/HEAD only, files the resolver allows, MIME by extension, the
 * page's CSP and nosniff on every answer. app:// and the web bridge differ only in how they read.
 */
export function createStaticFileServer(options: StaticFileServerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const baseHeaders = {
      'Content-Security-Policy': typeof options.csp === 'function' ? options.csp() : options.csp,
      'X-Content-Type-Options': 'nosniff',
    };
    const notFound = () =>
      new Response('Not found', {
        status: 404,
        headers: { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...baseHeaders, Allow: 'GET, HEAD' } });
    }
    const filePath = options.resolve(request);
    if (filePath === null) return notFound();
    try {
      if (!statSync(filePath).isFile()) return notFound();
    } catch {
      return notFound();
    }
    const body = await options.open(filePath);
    if (body === null) return notFound();
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...baseHeaders, 'Content-Type': mimeTypeFor(filePath), 'Cache-Control': 'no-cache' },
    });
  };
}

/**
 * The request handler behind `protocol.handle('app', …)`, separate so tests call it with real
 * Requests. Files are read through `net.fetch(file://…)`, which also reads inside app.asar.
 */
export function createAppProtocolHandler(
  net: Pick<Net, 'fetch'>,
  rootDir: string,
  csp: string | (() => string),
): (request: Request) => Promise<Response> {
  return createStaticFileServer({
    csp,
    resolve: (request) => resolveAppPath(rootDir, request.url),
    open: async (filePath) => {
      const file = await net.fetch(pathToFileURL(filePath).href);
      return file.ok ? file.body : null;
    },
  });
}

/** Serves the built renderer (`rootDir`, e.g. out/renderer) on app://assetdesk with the CSP header. */
export function handleAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  net: Pick<Net, 'fetch'>,
  rootDir: string,
  csp: string | (() => string),
): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(net, rootDir, csp));
}
