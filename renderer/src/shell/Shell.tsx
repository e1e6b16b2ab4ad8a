import { useEffect, useRef, type ReactNode } from 'react';
import { environmentLabel } from '../ui';
import { useAppInfo } from './AppInfo';
import { href, navigate, type Route } from './router';
import { LogFailureNotice, RecoveryKeyPrompt } from '../settings/BackupSection';
import { BackgroundWorkStatus } from './BackgroundWorkStatus';
import { TeamProvider, useCan } from '../team/TeamContext';
import { TeamOfflineBanner } from '../team/TeamOfflineBanner';

const navItems: { label: string; href: string; matches: Route['name'][]; testId: string }[] = [
  { label: 'Loans', href: href.loans(), matches: ['loans', 'loan'], testId: 'nav-loans' },
  { label: 'Reports', href: href.reports(), matches: ['reports', 'report'], testId: 'nav-reports' },
  { label: 'Settings', href: href.settings(), matches: ['settings'], testId: 'nav-settings' },
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Ctrl/Cmd+K focuses the screen's search box; N starts a new loan (when not typing). */
function useDeskHotkeys(canCreateLoans: boolean) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const dialogOpen = document.querySelector('dialog[open]') !== null;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        if (dialogOpen) return;
        event.preventDefault();
        const search = document.querySelector<HTMLInputElement>('[data-global-search]');
        if (search) {
          search.focus();
          search.select();
        } else {
          navigate(href.loans());
          requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-global-search]')?.focus());
        }
        return;
      }
      if (
        canCreateLoans &&
        event.key.toLowerCase() === 'n' &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey &&
        !dialogOpen &&
        !isTyping(event.target)
      ) {
        event.preventDefault();
        navigate(href.newLoan());
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [canCreateLoans]);
}

export function EnvironmentBadge() {
  const { info } = useAppInfo();
  if (!info) return null;
  return (
    <span
      className="env-badge"
      data-environment={info.environment}
      data-testid="environment-badge"
      title="Plaid environment"
    >
      <span className="visually-hidden">Plaid environment: </span>
      {environmentLabel[info.environment]}
    </span>
  );
}

function KeychainBanner() {
  const { info } = useAppInfo();
  if (!info || info.keychain.state === 'ok') return null;
  return (
    <div className="banner" role="alert" data-testid="keychain-banner">
      <div>
        <strong>{info.keychain.message}</strong>
        <span>{info.keychain.howToFix}</span>
      </div>
    </div>
  );
}

/** The desk's frame; the team status (role, connection) is known to every screen inside it. */
export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  return (
    <TeamProvider>
      <ShellLayout route={route}>{children}</ShellLayout>
    </TeamProvider>
  );
}

function ShellLayout({ route, children }: { route: Route; children: ReactNode }) {
  const { info } = useAppInfo();
  const mainRef = useRef<HTMLElement>(null);
  const canCreateLoans = useCan('loans:create').allowed;
  useDeskHotkeys(canCreateLoans);

  // After navigation, start reading at the new screen rather than at the top of the window.
  // Compared by value so the first render (and StrictMode's effect replay) leaves focus alone.
  // Opening or closing the New loan dialog changes the address but not the screen: the dialog
  // itself gives focus back to the button that opened it, so main must not take it.
  const routeKey = JSON.stringify(route.name === 'loans' ? { name: route.name } : route);
  const shownRouteKey = useRef(routeKey);
  useEffect(() => {
    if (shownRouteKey.current === routeKey) return;
    shownRouteKey.current = routeKey;
    mainRef.current?.focus({ preventScroll: true });
  }, [routeKey]);

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        data-testid="skip-link"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className="shell-header">
        <span className="brand">AssetDesk</span>
        <EnvironmentBadge />
        <span className="spacer" />
        {info && <span className="version">v{info.version}</span>}
      </header>
      <div className="shell-banners">
        <KeychainBanner />
        <TeamOfflineBanner />
      </div>
      <nav className="shell-nav" aria-label="Main" data-testid="nav">
        <ul>
          {navItems.map((item) => (
            <li key={item.href}>
              <a
                href={item.href}
                data-testid={item.testId}
                aria-current={item.matches.includes(route.name) ? 'page' : undefined}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="kbd-hints" aria-hidden="true">
          <div>
            <kbd>Ctrl</kbd> <kbd>K</kbd> search
          </div>
          {canCreateLoans && (
            <div>
              <kbd>N</kbd> new loan
            </div>
          )}
        </div>
      </nav>
      <main id="main" className="shell-main" ref={mainRef} tabIndex={-1} data-testid="main">
        <LogFailureNotice />
        <BackgroundWorkStatus />
        <RecoveryKeyPrompt />
        {children}
      </main>
    </div>
  );
}
