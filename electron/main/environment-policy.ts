import type { PlaidEnvironment } from '../../shared/domain';
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
