import { useEffect, useState } from 'react';

/** Every screen the app can show, addressed by the URL hash so Back/Forward and reloads work. */
export type Route =
  | { name: 'applicants'; creating: boolean }
  | { name: 'applicant'; applicantId: string }
  | { name: 'reports' }
  | { name: 'report'; reportId: string }
  | { name: 'settings' }
  | { name: 'link'; applicantId: string; itemId: string | null }
  | { name: 'notFound'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  const [first, second] = parts;
  if (parts.length === 0 || (first === 'applicants' && parts.length === 1))
    return { name: 'applicants', creating: false };
  if (first === 'applicants' && second === 'new' && parts.length === 2) return { name: 'applicants', creating: true };
  if (first === 'applicants' && second && parts.length === 2) return { name: 'applicant', applicantId: second };
  if (first === 'reports' && parts.length === 1) return { name: 'reports' };
  if (first === 'reports' && second && parts.length === 2) return { name: 'report', reportId: second };
  if (first === 'settings' && parts.length === 1) return { name: 'settings' };
  if (first === 'link' && second && parts.length === 2)
    return { name: 'link', applicantId: second, itemId: params.get('item') };
  return { name: 'notFound', path: raw };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'applicants':
      return route.creating ? '#/applicants/new' : '#/applicants';
    case 'applicant':
      return `#/applicants/${encodeURIComponent(route.applicantId)}`;
    case 'reports':
      return '#/reports';
    case 'report':
      return `#/reports/${encodeURIComponent(route.reportId)}`;
    case 'settings':
      return '#/settings';
    case 'link':
      return `#/link/${encodeURIComponent(route.applicantId)}${route.itemId ? `?item=${encodeURIComponent(route.itemId)}` : ''}`;
    case 'notFound':
      return '#/applicants';
  }
}

export const href = {
  applicants: () => routeHref({ name: 'applicants', creating: false }),
  newApplicant: () => routeHref({ name: 'applicants', creating: true }),
  applicant: (applicantId: string) => routeHref({ name: 'applicant', applicantId }),
  reports: () => routeHref({ name: 'reports' }),
  report: (reportId: string) => routeHref({ name: 'report', reportId }),
  settings: () => routeHref({ name: 'settings' }),
  link: (applicantId: string, itemId?: string) => routeHref({ name: 'link', applicantId, itemId: itemId ?? null }),
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
