import { useEffect, useEffectEvent, useState } from 'react';

/** Every screen the app can show, addressed by the URL hash so Back/Forward and reloads work. */
export type Route =
  | { name: 'loans'; creating: boolean }
  | { name: 'loan'; loanId: string }
  | { name: 'reports' }
  | { name: 'report'; reportId: string }
  | { name: 'settings' }
  /** The borrower's own linking screen; `loanId` lets it read that loan file (the only one it may read). */
  | { name: 'link'; applicantId: string; loanId: string | null; itemId: string | null }
  | { name: 'notFound'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  const [first, second] = parts;
  if (parts.length === 0 || (first === 'loans' && parts.length === 1)) return { name: 'loans', creating: false };
  if (first === 'loans' && second === 'new' && parts.length === 2) return { name: 'loans', creating: true };
  if (first === 'loans' && second && parts.length === 2) return { name: 'loan', loanId: second };
  if (first === 'reports' && parts.length === 1) return { name: 'reports' };
  if (first === 'reports' && second && parts.length === 2) return { name: 'report', reportId: second };
  if (first === 'settings' && parts.length === 1) return { name: 'settings' };
  if (first === 'link' && second && parts.length === 2)
    return { name: 'link', applicantId: second, loanId: params.get('loan'), itemId: params.get('item') };
  return { name: 'notFound', path: raw };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'loans':
      return route.creating ? '#/loans/new' : '#/loans';
    case 'loan':
      return `#/loans/${encodeURIComponent(route.loanId)}`;
    case 'reports':
      return '#/reports';
    case 'report':
      return `#/reports/${encodeURIComponent(route.reportId)}`;
    case 'settings':
      return '#/settings';
    case 'link': {
      const params = new URLSearchParams();
      if (route.loanId) params.set('loan', route.loanId);
      if (route.itemId) params.set('item', route.itemId);
      const query = params.toString();
      return `#/link/${encodeURIComponent(route.applicantId)}${query ? `?${query}` : ''}`;
    }
    case 'notFound':
      return '#/loans';
  }
}

export const href = {
  loans: () => routeHref({ name: 'loans', creating: false }),
  newLoan: () => routeHref({ name: 'loans', creating: true }),
  loan: (loanId: string) => routeHref({ name: 'loan', loanId }),
  reports: () => routeHref({ name: 'reports' }),
  report: (reportId: string) => routeHref({ name: 'report', reportId }),
  settings: () => routeHref({ name: 'settings' }),
  link: (applicantId: string, loanId: string | null, itemId?: string | null) =>
    routeHref({ name: 'link', applicantId, loanId, itemId: itemId ?? null }),
};

export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

/**
 * How long the current screen stays up while the next one's first data and code are on their way: a screen that
 * has them within it opens whole, with no loading frame before it; a slower one shows its loading state.
 */
const ROUTE_HOLD_MS = 100;

/**
 * The current route. `onEnter` sees each route the moment the address changes, before React renders it, and may
 * start what the new screen needs first (its data, its code): when it returns a promise, the current screen stays
 * until that settles or ROUTE_HOLD_MS pass. A newer address wins over one still held.
 */
export function useRoute(onEnter?: (route: Route) => Promise<unknown> | void): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  const enter = useEffectEvent((next: Route) => onEnter?.(next));
  useEffect(() => {
    let latest = 0;
    const onChange = () => {
      const next = parseRoute(location.hash);
      const navigation = ++latest;
      const ready = enter(next);
      if (!ready) {
        setRoute(next);
        return;
      }
      const show = () => {
        clearTimeout(timer);
        if (navigation === latest) setRoute(next);
      };
      const timer = setTimeout(show, ROUTE_HOLD_MS);
      ready.then(show, show);
    };
    // An address set before the listener was there: shown at once (its screen reads its own data).
    const catchUp = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    catchUp();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
