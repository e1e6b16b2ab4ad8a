import { AppError, ErrorCodes } from '../../../shared/errors';
import type { CredentialState, KeychainState, PlaidEnvironment, Settings } from '../../../shared/domain';
import type { BackgroundWork, ContractHandlers } from '../../../shared/ipc/contract';
import { SETTINGS_DEFAULTS, type SettingsValues } from '../../db';
import type { PlaidGateway } from '../plaid-gateway';
import type { ServiceContext } from '../service-context';
import {
  howToUnlock,
  KeychainErrorCodes,
  type CredentialEnvironment,
  type KeychainVault,
  type PlaidCredentials,
} from '../vault';

export type SettingsHandlers = Pick<
  ContractHandlers,
  | 'app:info'
  | 'settings:get'
  | 'settings:update'
  | 'settings:switchEnvironment'
  | 'credentials:save'
  | 'credentials:clear'
>;

export interface SettingsFeatureDeps {
  ctx: ServiceContext;
  vault: KeychainVault;
  keychain(): KeychainState;
  version: string;
  transport: 'electron' | 'web-bridge';
  /** Start-up work still running behind the window (status line); none when omitted. */
  backgroundWork?(): BackgroundWork | null;
  /** Swaps the environment session (fails, changing nothing, when the keys are missing). */
  switchEnvironment(environment: PlaidEnvironment): Promise<void>;
  /** The environment of the running session, if one is open. */
  sessionEnvironment(): PlaidEnvironment | null;
  webhooks: {
    start(): Promise<void>;
    stop(): Promise<void>;
    /** The URL Plaid is given (null: readiness comes from polling). */
    url(): string | null;
    /** Where a public URL must forward to on this computer. */
    localUrl(): string | null;
  };
  /** A gateway with keys not yet saved, to prove them. */
  gatewayWith(environment: CredentialEnvironment, credentials: PlaidCredentials): PlaidGateway;
}

// A cheap call that proves keys before anything is stored (First Platypus Bank exists in every environment).
const VERIFY_INSTITUTION = 'ins_109508';

/** Settings, the environment and the Plaid keys (the keys go to the keychain, never to the store). */
export function createSettingsHandlers(deps: SettingsFeatureDeps): SettingsHandlers {
  const { ctx, vault } = deps;
  const settings = () => currentSettings(deps);
  const setRejected = (environment: CredentialEnvironment, reason: string | null) =>
    recordRejection(ctx, environment, reason);
  return {
    'app:info': async () => ({
      version: deps.version,
      environment: ctx.environment(),
      keychain: deps.keychain(),
      transport: deps.transport,
      backgroundWork: deps.backgroundWork?.() ?? null,
    }),

    'settings:get': () => settings(),
    'settings:update': async (changes) => {
      const store = ctx.store();
      if (changes.webhook !== undefined) await store.settings.update('webhook', changes.webhook);
      if (changes.retentionDays !== undefined) await store.settings.update('retentionDays', changes.retentionDays);
      if (changes.largeDepositShare !== undefined)
        await store.settings.update('largeDepositShare', changes.largeDepositShare);
      if (changes.documentAgeRule !== undefined)
        await store.settings.update('documentAgeRule', changes.documentAgeRule);
      if (changes.oauthRedirectUri !== undefined) {
        const { environment, uri } = changes.oauthRedirectUri;
        await store.settings.update('oauthRedirectUri', {
          ...(await store.settings.value('oauthRedirectUri')),
          [environment]: uri,
        });
      }
      if (changes.hostedLinkLifetimeSeconds !== undefined)
        await store.settings.update('hostedLinkLifetimeSeconds', changes.hostedLinkLifetimeSeconds);
      if (changes.insights !== undefined) {
        const { environment, enabled } = changes.insights;
        await store.settings.update('insights', {
          ...(await store.settings.value('insights')),
          [environment]: enabled,
        });
      }
      if (changes.webhook !== undefined) {
        if (changes.webhook.enabled) await deps.webhooks.start();
        else await deps.webhooks.stop();
      }
      await store.activity.append({ action: 'settings_changed', detail: { fields: Object.keys(changes) } });
      return settings();
    },
    'settings:switchEnvironment': async ({ environment }) => {
      await deps.switchEnvironment(environment);
      await ctx.store().activity.append({ action: 'environment_switched', detail: { environment } });
      return settings();
    },
    'credentials:save': async ({ environment, clientId, secret }) => {
      const store = ctx.store();
      const refusal = await refusalOf(deps, environment, { clientId, secret });
      if (refusal) {
        await setRejected(environment, `${refusal.message} (${refusal.code})`);
        await store.activity.append({ action: 'credentials_rejected', detail: { environment, code: refusal.code } });
        return settings();
      }
      await vault.saveCredentials(environment, { clientId, secret });
      await setRejected(environment, null);
      await store.activity.append({ action: 'credentials_saved', detail: { environment } });
      if (deps.sessionEnvironment() === environment) await deps.switchEnvironment(environment);
      return settings();
    },
    'credentials:clear': async ({ environment }) => {
      const store = ctx.store();
      await vault.clearCredentials(environment);
      await setRejected(environment, null);
      await store.activity.append({ action: 'credentials_cleared', detail: { environment } });
      if (ctx.environment() === environment) await deps.switchEnvironment('emulator');
      return settings();
    },
  };
}

const valueOf = async <K extends keyof SettingsValues>(ctx: ServiceContext, key: K): Promise<SettingsValues[K]> =>
  (await ctx.openStore()?.settings.value(key)) ?? SETTINGS_DEFAULTS[key];

async function credentialState(
  deps: SettingsFeatureDeps,
  environment: CredentialEnvironment,
): Promise<CredentialState> {
  if (deps.keychain().state === 'unavailable') return { state: 'not_configured' };
  // The stored keys come first: keys Plaid refused were never stored, so they cannot undo the ones that were.
  const credentials = await deps.vault.getCredentials(environment).catch((error: unknown) => {
    // The keychain locked while AssetDesk ran hides keys it holds: said so, unless this run saw none saved.
    if (error instanceof AppError && error.code === KeychainErrorCodes.locked)
      return deps.vault.savedAtLastLook(environment) === false ? null : ('locked' as const);
    return null;
  });
  if (credentials === 'locked') return { state: 'locked', howToUnlock: howToUnlock() };
  const rejected = (await valueOf(deps.ctx, 'credentialsRejected'))[environment];
  if (credentials) return rejected ? { state: 'configured', replacementRejected: rejected } : { state: 'configured' };
  return rejected ? { state: 'rejected', reason: rejected } : { state: 'not_configured' };
}

/** Settings as the screen shows them; answers (with defaults) even while the keychain is missing. */
async function currentSettings(deps: SettingsFeatureDeps): Promise<Settings> {
  const { ctx } = deps;
  return {
    environment: ctx.environment(),
    credentials: {
      sandbox: await credentialState(deps, 'sandbox'),
      production: await credentialState(deps, 'production'),
    },
    webhook: await valueOf(ctx, 'webhook'),
    webhookDelivery: webhookDelivery(deps),
    oauthRedirectUri: {
      sandbox: (await valueOf(ctx, 'oauthRedirectUri')).sandbox ?? null,
      production: (await valueOf(ctx, 'oauthRedirectUri')).production ?? null,
    },
    hostedLinkLifetimeSeconds: await valueOf(ctx, 'hostedLinkLifetimeSeconds'),
    retentionDays: await valueOf(ctx, 'retentionDays'),
    largeDepositShare: await valueOf(ctx, 'largeDepositShare'),
    documentAgeRule: await valueOf(ctx, 'documentAgeRule'),
    insights: { ...SETTINGS_DEFAULTS.insights, ...(await valueOf(ctx, 'insights')) },
  };
}

/** Polling unless Plaid has a URL it can reach: the officer's public URL (or, with the emulator, our own). */
function webhookDelivery(deps: SettingsFeatureDeps): Settings['webhookDelivery'] {
  const plaidUrl = deps.webhooks.url();
  return { mode: plaidUrl ? 'webhook' : 'polling', plaidUrl, localUrl: deps.webhooks.localUrl() };
}

async function recordRejection(
  ctx: ServiceContext,
  environment: CredentialEnvironment,
  reason: string | null,
): Promise<void> {
  const rejected = { ...(await ctx.store().settings.value('credentialsRejected')) };
  if (reason === null) delete rejected[environment];
  else rejected[environment] = reason;
  await ctx.store().settings.update('credentialsRejected', rejected);
}

/** Asks Plaid whether the keys work; answers the refusal to record, or throws when Plaid could not say. */
async function refusalOf(
  deps: SettingsFeatureDeps,
  environment: CredentialEnvironment,
  credentials: PlaidCredentials,
): Promise<AppError | null> {
  try {
    await deps
      .gatewayWith(environment, credentials)
      .call(
        '/institutions/get_by_id',
        (p) => p.institutionsGetById({ institution_id: VERIFY_INSTITUTION, country_codes: ['US' as never] }),
        { retry: false },
      );
    return null;
  } catch (error) {
    const appError =
      error instanceof AppError
        ? error
        : new AppError({ code: ErrorCodes.internal, message: 'Verification failed.', retryable: true });
    if (appError.code === ErrorCodes.network || (appError.retryable && appError.code !== 'INVALID_API_KEYS'))
      throw appError;
    return appError;
  }
}
