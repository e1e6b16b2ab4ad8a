import type { StoreContext } from '../context';

/** Plain JSON values: preferences only. Secrets live in the keychain, never here. */
export interface SettingsRepository {
  get<T>(key: string, fallback: T): T;
  set(key: string, value: unknown): void;
}

export function createSettingsRepository(ctx: StoreContext): SettingsRepository {
  return {
    get<T>(key: string, fallback: T): T {
      const row = ctx.statement('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : fallback;
    },
    set(key, value) {
      ctx
        .statement(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, JSON.stringify(value ?? null));
    },
  };
}
