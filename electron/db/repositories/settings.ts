import type { AssetClassSettings, PlaidEnvironment, Settings } from '../../../shared/domain';
import { DEFAULT_UNDERWRITING_SETTINGS } from '../../../shared/underwriting';
import type { StoreContext } from '../context';

export type WebhookSettings = Settings['webhook'];
export type UnderwritingPreferences = Pick<Settings, 'largeDepositShare' | 'documentAgeRule'> & AssetClassSettings;
/** Why Plaid refused saved keys, per environment (shown in Settings until new keys are saved). */
export type RejectedCredentials = Partial<Record<Exclude<PlaidEnvironment, 'emulator'>, string>>;

/** The officer's preferences with their defaults, each read and written in one place. */
export interface SettingsValues {
  environment: PlaidEnvironment;
  webhook: WebhookSettings;
  retentionDays: number | null;
  largeDepositShare: Settings['largeDepositShare'];
  documentAgeRule: Settings['documentAgeRule'];
  /** The lender's asset-class treatment (retirement discount, brokerage share, HSA, transfer window). */
  underwritingAssetClasses: AssetClassSettings;
  credentialsRejected: RejectedCredentials;
  /** OAuth redirect URIs registered in the officer's Plaid dashboard, per environment (null: none). */
  oauthRedirectUri: Partial<Record<Exclude<PlaidEnvironment, 'emulator'>, string | null>>;
  /** How long a Hosted Link URL stays valid (seconds). */
  hostedLinkLifetimeSeconds: number;
  /** Ask Plaid for insights per environment; turned off when Plaid says the client has none. */
  insights: Record<PlaidEnvironment, boolean>;
}

/** Every preference's default, written once: used whether or not the store is open. */
export const SETTINGS_DEFAULTS: Readonly<SettingsValues> = {
  environment: 'emulator',
  webhook: { enabled: true, publicUrl: null },
  retentionDays: null,
  largeDepositShare: DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare,
  documentAgeRule: DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule,
  underwritingAssetClasses: {
    retirementDiscount: DEFAULT_UNDERWRITING_SETTINGS.retirementDiscount,
    brokerageShare: DEFAULT_UNDERWRITING_SETTINGS.brokerageShare,
    hsaTreatment: DEFAULT_UNDERWRITING_SETTINGS.hsaTreatment,
    transferMatchBusinessDays: DEFAULT_UNDERWRITING_SETTINGS.transferMatchBusinessDays,
  },
  credentialsRejected: {},
  oauthRedirectUri: {},
  // Three days: a link sent on Friday still works on Monday (Plaid's maximum is 21 days).
  hostedLinkLifetimeSeconds: 3 * 24 * 3600,
  insights: { emulator: true, sandbox: true, production: true },
};

/** Plain JSON values: preferences only. Secrets live in the keychain, never here. */
export interface SettingsRepository {
  get<T>(key: string, fallback: T): Promise<T>;
  set(key: string, value: unknown): Promise<void>;
  /** Forgets a saved value (what an older version kept here and a newer one keeps elsewhere). */
  remove(key: string): Promise<void>;
  /** A typed preference, or its default when never saved. */
  value<K extends keyof SettingsValues>(key: K): Promise<SettingsValues[K]>;
  update<K extends keyof SettingsValues>(key: K, value: SettingsValues[K]): Promise<void>;
  /** The underwriting preferences the analysis uses (defaults filled in). */
  underwriting(): Promise<UnderwritingPreferences>;
  /**
   * A typed preference as last read or written by this desk, without a round trip (for the few callers
   * that must answer synchronously, like the environment and the webhook URL). `reload()` refreshes it:
   * at open, and in team mode when another desk changes a setting.
   */
  cached<K extends keyof SettingsValues>(key: K): SettingsValues[K];
  reload(): Promise<void>;
}

export function createSettingsRepository(ctx: StoreContext): SettingsRepository {
  let snapshot = new Map<string, unknown>();
  const repository: SettingsRepository = {
    async get<T>(key: string, fallback: T): Promise<T> {
      const row = (await ctx.statement('SELECT value FROM settings WHERE key = ?').get(key)) as
        { value: string } | undefined;
      if (row) snapshot.set(key, JSON.parse(row.value));
      return row ? (JSON.parse(row.value) as T) : fallback;
    },
    async set(key, value) {
      await ctx
        .statement(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, JSON.stringify(value ?? null));
      snapshot.set(key, JSON.parse(JSON.stringify(value ?? null)));
    },
    async remove(key) {
      await ctx.statement('DELETE FROM settings WHERE key = ?').run(key);
      snapshot.delete(key);
    },
    cached: (key) => (snapshot.has(key) ? snapshot.get(key) : SETTINGS_DEFAULTS[key]) as SettingsValues[typeof key],
    async reload() {
      const rows = (await ctx.statement('SELECT key, value FROM settings').all()) as { key: string; value: string }[];
      snapshot = new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
    },
    value: (key) => repository.get(key, SETTINGS_DEFAULTS[key]),
    update: (key, value) => repository.set(key, value),
    underwriting: async () => ({
      largeDepositShare: await repository.value('largeDepositShare'),
      documentAgeRule: await repository.value('documentAgeRule'),
      // Older saves may lack a field added since: the defaults fill it in.
      ...SETTINGS_DEFAULTS.underwritingAssetClasses,
      ...(await repository.value('underwritingAssetClasses')),
    }),
  };
  return repository;
}
