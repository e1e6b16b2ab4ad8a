import { useEffect, useState } from 'react';

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

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    onChange();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
