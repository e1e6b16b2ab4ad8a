import type { PlaidEnvironment, Settings } from '../../shared/domain';
import { events, type EventSink } from '../../shared/ipc/contract';
import { buildContentSecurityPolicy } from './security';

/**
 * What the page's CSP, the pop-up guards and the permission policy read at each decision: the
 * active Plaid environment and, in emulator mode, the emulator's loopback origin. Updated when the
 * officer switches environment, so nothing is fixed when the window is made.
 */
export interface EnvironmentPolicy {
  environment(): PlaidEnvironment;
  emulatorOrigin(): string | undefined;
  /** Loopback origins Link's pop-ups may show in emulator mode: the emulator and its OAuth bank's site. */
  popupOrigins(): readonly string[];
  /** The app page's policy for the current environment. */
  csp(): string;
  /** Records a switch; true when anything the page depends on changed (the page must reload). */
  update(environment: PlaidEnvironment, emulatorOrigin: string | null, bankOrigin?: string | null): boolean;
}

export function createEnvironmentPolicy(options: {
  environment: PlaidEnvironment;
  emulatorOrigin: string | null;
  /** The emulator's OAuth bank site (another loopback origin), opened by Link in a pop-up. */
  emulatorBankOrigin?: string | null;
  devServerOrigin?: string | undefined;
}): EnvironmentPolicy {
  let environment = options.environment;
  // The emulator's origins matter only in emulator mode; a running emulator is ignored otherwise.
  let emulatorOrigin = environment === 'emulator' ? (options.emulatorOrigin ?? undefined) : undefined;
  let bankOrigin = environment === 'emulator' ? (options.emulatorBankOrigin ?? undefined) : undefined;
  return {
    environment: () => environment,
    emulatorOrigin: () => emulatorOrigin,
    popupOrigins: () => [emulatorOrigin, bankOrigin].filter((origin): origin is string => origin !== undefined),
    csp: () =>
      buildContentSecurityPolicy({
        plaidEnvironment: environment,
        plaidLinkScriptOrigin: emulatorOrigin,
        devServerOrigin: options.devServerOrigin,
      }),
    update(nextEnvironment, nextOrigin, nextBankOrigin = null) {
      const origin = nextEnvironment === 'emulator' ? (nextOrigin ?? undefined) : undefined;
      const changed = nextEnvironment !== environment || origin !== emulatorOrigin;
      environment = nextEnvironment;
      emulatorOrigin = origin;
      bankOrigin = nextEnvironment === 'emulator' ? (nextBankOrigin ?? undefined) : undefined;
      return changed;
    },
  };
}

/**
 * What a switch does to the window: the CSP and pop-up policy change, so Link's pop-ups close and
 * the page reloads to run under the new policy. Nothing happens when nothing changed.
 */
export function environmentSwitchListener(deps: {
  policy: () => EnvironmentPolicy | null;
  closeLinkPopups: () => void;
  reloadPage: () => void;
  onChanged?: (environment: PlaidEnvironment) => void;
}): (environment: PlaidEnvironment, emulatorOrigin: string | null, bankOrigin?: string | null) => void {
  return (environment, emulatorOrigin, bankOrigin) => {
    if (!deps.policy()?.update(environment, emulatorOrigin, bankOrigin)) return;
    deps.onChanged?.(environment);
    deps.closeLinkPopups();
    deps.reloadPage();
  };
}

/**
 * The OAuth return path in the main process: which redirect URI counts (the one the officer
 * registered for the active environment; none in emulator mode) and what happens when a bank sends
 * Link's pop-up there — the pop-ups close and the page is told, with the URL checked by the contract.
 */
export function createOAuthReturn(deps: {
  environment: () => PlaidEnvironment | undefined;
  settings: () => Promise<Pick<Settings, 'oauthRedirectUri'>>;
  closeLinkPopups: () => void;
  events: EventSink;
  onRefused?: (reason: string) => void;
}): { redirectUri(): string | null; refresh(): Promise<void>; returned(receivedRedirectUri: string): void } {
  let registered: Pick<Settings, 'oauthRedirectUri'>['oauthRedirectUri'] = { sandbox: null, production: null };
  return {
    redirectUri() {
      const environment = deps.environment();
      return environment === 'sandbox' || environment === 'production' ? registered[environment] : null;
    },
    async refresh() {
      registered = (await deps.settings()).oauthRedirectUri;
    },
    returned(receivedRedirectUri) {
      deps.closeLinkPopups();
      const payload = events['link:oauthReturned'].safeParse({ receivedRedirectUri });
      if (!payload.success) {
        deps.onRefused?.(payload.error.issues[0]?.message ?? 'not a redirect address');
        return;
      }
      deps.events.emit('link:oauthReturned', payload.data);
    },
  };
}
