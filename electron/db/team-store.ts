import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { ValueCipher } from './cipher';
import { createStoreContext, type StoreContext } from './context';
import { assembleStore, STORE_KEY_MISMATCH, type AssetDeskStore } from './index';
import { openPostgresEngine, type PostgresEngine, type PostgresEngineOptions } from './postgres/engine';
import { migratePostgres } from './postgres/migrations';

export interface OpenTeamStoreOptions extends Pick<
  PostgresEngineOptions,
  'url' | 'caPem' | 'poolSize' | 'applicationName' | 'connectionTimeoutMs'
> {
  /** Seals and opens with the team data key (every version this desk holds); the server never sees it. */
  cipher: ValueCipher;
  /** Bring the schema up to date first (the desk signed in as the team's owner does; members only check). */
  migrate?: boolean;
  /** Columns this login may not read (`table.column`): selected as NULL instead (a processor's desk). */
  hiddenColumns?: ReadonlySet<string>;
  clock?: () => Date;
  logger?: Logger;
}

/**
 * The team's own secrets (its Plaid keys), sealed with the team key; only the admin and officers' database
 * roles may read the table (the grants in the team schema), never a processor's.
 */
export interface TeamSecrets {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  clear(name: string): Promise<void>;
}

export type TeamStore = AssetDeskStore & { readonly engine: PostgresEngine; readonly secrets: TeamSecrets };

const KEY_CHECK = 'key_check';

/**
 * The branch's shared history on the office's PostgreSQL: the same repositories as the local store,
 * over the PostgreSQL engine, with values sealed by the team data key before they leave the desk.
 */
export async function openTeamStore(options: OpenTeamStoreOptions): Promise<TeamStore> {
  const logger = options.logger?.child({ component: 'team-store' });
  const engine = await openPostgresEngine({
    url: options.url,
    ...(options.caPem !== undefined ? { caPem: options.caPem } : {}),
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: options.connectionTimeoutMs } : {}),
    applicationName: options.applicationName ?? 'AssetDesk',
  });
  try {
    if (options.migrate ?? true) await migratePostgres(engine);
    const ctx = createStoreContext(
      engine,
      options.cipher,
      options.clock ?? (() => new Date()),
      logger,
      options.hiddenColumns,
    );
    await checkTeamKey(ctx, options.cipher);
    const store = await assembleStore(ctx, {
      kind: 'team',
      file: '',
      backup: () =>
        Promise.reject(
          new AppError({
            code: 'TEAM_BACKUP_BY_OFFICE',
            message:
              "The team database is backed up by the office's database administrator (pg_dump or the server's own backups); " +
              'AssetDesk backs up only a local history.',
            retryable: false,
          }),
        ),
      checkpoint: () => undefined,
      close: () => engine.close(),
    });
    return Object.assign(store, { engine, secrets: teamSecrets(ctx) });
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/**
 * A known value sealed with the team key when the team database is first opened: a desk whose key
 * does not match (an old keychain entry, another team's key) is told once, clearly.
 */
async function checkTeamKey(ctx: StoreContext, cipher: ValueCipher): Promise<void> {
  const statement = (sql: string) => ctx.statement(sql);
  const where = { table: 'store_meta', column: 'value_enc', rowId: KEY_CHECK };
  // Two desks opening a new team database at once: one insert wins, both then check the winner's value.
  await statement('INSERT INTO store_meta (key, value_enc) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
    KEY_CHECK,
    cipher.seal(randomBytes(16), where),
  );
  const check = (await statement('SELECT value_enc FROM store_meta WHERE key = ?').get(KEY_CHECK)) as
    { value_enc: Buffer } | undefined;
  try {
    cipher.open(check!.value_enc, where);
  } catch (err) {
    throw new AppError(
      {
        code: STORE_KEY_MISMATCH,
        message:
          "This desk's team key does not open the team database, so its loan files can't be read here. " +
          'Ask your AssetDesk admin for a new join code and join the team again.',
        retryable: false,
      },
      { cause: err },
    );
  }
}

function teamSecrets(ctx: StoreContext): TeamSecrets {
  const where = (name: string) => ({ table: 'team_secrets', column: 'value_enc', rowId: name });
  return {
    async get(name) {
      const row = (await ctx.statement('SELECT value_enc FROM team_secrets WHERE name = ?').get(name)) as
        { value_enc: Buffer } | undefined;
      return row ? ctx.cipher.openText(row.value_enc, where(name)) : null;
    },
    async set(name, value) {
      await ctx
        .statement(
          `INSERT INTO team_secrets (name, value_enc, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET value_enc = excluded.value_enc, updated_at = excluded.updated_at`,
        )
        .run(name, ctx.cipher.sealText(value, where(name)), ctx.now());
    },
    async clear(name) {
      await ctx.statement('DELETE FROM team_secrets WHERE name = ?').run(name);
    },
  };
}
