import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import { AppError, ErrorCodes } from '../../../shared/errors';
import { agencyName } from '../../../shared/domain';
import { TeamRole } from '../../../shared/team';
import type { TeamConnection } from '../../../shared/ipc/team-contract';
import type { EventSink } from '../../../shared/ipc/contract';
import { teamConnectionSettings } from '../../db/postgres/connection';
import { SECRET_COLUMNS } from '../../db/postgres/migrations/003_team_members';
import { openTeamStore, type TeamStore } from '../../db/team-store';
import type { Logger } from '../../log/logger';
import type { ReportCoordination } from '../reports/coordination';
import { createConnectivity, type Connectivity, type TeamConnectionState } from './connectivity';
import type { TeamKeychain, TeamMembershipSecrets } from './keychain';
import { refreshKeyring } from './join';
import type { TeamKeyring } from './keys';
import type { ValueCipher } from '../../db/cipher';
import { openChangeFeed, type ChangeFeed, type FeedEvent } from './live';
import {
  auditCopyKey,
  lockHolder,
  lockLoanForReportCreation,
  openPollCoordinator,
  watchUnclaimed,
  type PollCoordinator,
} from './poll-lease';
import { createTeamValueCipher } from './value-cipher';
import { createOpenLinks, type OpenLinks } from './link-open';

/**
 * Which team this desk belongs to: kept in the user-data folder as `team.json`. Nothing secret: the
 * database password, the team keyring and this member's private key live in the OS keychain.
 */
export const TeamDeskConfig = z.object({
  format: z.literal(1),
  /** postgres://user@host:port/database?sslmode=… — never with the password. */
  url: z.string(),
  caPem: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  role: TeamRole,
});
export type TeamDeskConfig = z.infer<typeof TeamDeskConfig>;

const CONFIG_FILE = 'team.json';

/**
 * What a processor's login may not read (the team schema's grants): tokens that start Plaid work, and SSNs. A
 * pending report's own token it reads through the schema's function instead (migration 007; reports.ts).
 */
const PROCESSOR_HIDDEN: ReadonlySet<string> = new Set(
  Object.entries(SECRET_COLUMNS).flatMap(([table, columns]) => columns.map((column) => `${table}.${column}`)),
);

export function readTeamConfig(userDataDir: string): TeamDeskConfig | null {
  const file = join(userDataDir, CONFIG_FILE);
  if (!existsSync(file)) return null;
  return TeamDeskConfig.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function writeTeamConfig(userDataDir: string, config: TeamDeskConfig): void {
  const file = join(userDataDir, CONFIG_FILE);
  const temp = `${file}.partial`;
  writeFileSync(temp, `${JSON.stringify(TeamDeskConfig.parse(config), null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

export function clearTeamConfig(userDataDir: string): void {
  rmSync(join(userDataDir, CONFIG_FILE), { force: true });
}

/** The address with this desk's password put in (only ever in memory, for the connection). */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Where the team database is, without credentials (for screens and logs). */
export function serverOf(url: string): { host: string; port: number; database: string } {
  const { target } = teamConnectionSettings(url);
  return { host: target.host, port: target.port, database: target.database };
}

/** A running team desk: the shared store, the live feed, report coordination and the offline state. */
export interface TeamDesk {
  readonly config: TeamDeskConfig;
  /** The team keyring this desk holds now (every version it has). */
  keyring(): TeamKeyring;
  readonly store: TeamStore;
  readonly connectivity: Connectivity;
  readonly coordination: ReportCoordination;
  /** Borrowers in Plaid Link at this desk, which the admin's environment switch waits for (link-open.ts). */
  readonly links: OpenLinks;
  /** Starts taking over pending reports no desk polls (after another desk closed or crashed). */
  watchReports(options: { pending: () => Promise<string[]>; takeOver: (reportId: string) => Promise<void> }): void;
  connection(): TeamConnection;
  close(): Promise<void>;
}

export interface OpenTeamDeskOptions {
  config: TeamDeskConfig;
  secrets: TeamMembershipSecrets;
  /** Where new key versions are kept after a rotation. */
  keychain: TeamKeychain;
  events: EventSink;
  logger: Logger;
  clock?: () => Date;
  /** How often the desk looks for reports nobody polls (default 1 s: the takeover time after a crash). */
  takeoverMs?: number;
  /** Called with each burst of other desks' changes (after the settings snapshot is refreshed). */
  onChanges?: (events: FeedEvent[]) => void;
  /** Called once the team's settings were read again after another desk changed them (its environment, say). */
  onSettingsChanged?: () => void;
}

export async function openTeamDesk(options: OpenTeamDeskOptions): Promise<TeamDesk> {
  const { config, secrets, logger } = options;
  const log = logger.child({ component: 'team-desk' });
  const url = withPassword(config.url, secrets.databasePassword);
  // The cipher follows the keyring: after the admin rotates the team key, new versions are added in place.
  let keyring = secrets.keyring;
  let current = createTeamValueCipher(keyring, logger);
  const cipher: ValueCipher = {
    seal: (plain, where) => current.seal(plain, where),
    open: (sealed, where) => current.open(sealed, where),
    sealText: (plain, where) => current.sealText(plain, where),
    openText: (sealed, where) => current.openText(sealed, where),
  };
  const store = await openTeamStore({
    url,
    caPem: config.caPem,
    cipher,
    // Only the owner's desk changes the schema; a member's desk refuses a database older or newer than it.
    migrate: config.role === 'admin',
    hiddenColumns: config.role === 'processor' ? PROCESSOR_HIDDEN : new Set(),
    applicationName: `AssetDesk ${config.memberName}`.slice(0, 60),
    ...(options.clock ? { clock: options.clock } : {}),
    logger,
  });
  const settings = teamConnectionSettings(url, config.caPem);
  const clientConfig: pg.ClientConfig = {
    host: settings.target.host,
    port: settings.target.port,
    database: settings.target.database,
    user: settings.target.user,
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ssl: settings.ssl,
    application_name: 'AssetDesk live',
  };
  /** Fetches key versions wrapped for this member since the keyring was saved (a rotation) and keeps them. */
  const refreshKeys = async (): Promise<void> => {
    const refreshed = await refreshKeyring({
      engine: store.engine,
      keyPair: secrets.memberKeyPair,
      memberId: config.memberId,
      keyring,
    });
    if (refreshed.added.length === 0) return;
    keyring = refreshed.keyring;
    current = createTeamValueCipher(keyring, logger);
    await options.keychain.save({ ...secrets, keyring });
    log.info('team key rotated; new version kept', { versions: refreshed.added });
  };
  try {
    await refreshKeys();
  } catch (error) {
    await store.close();
    throw error;
  }
  let feed: ChangeFeed | null = null;
  const connectivity = createConnectivity({
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    probe: () => feed?.check() ?? Promise.resolve(false),
  });
  connectivity.onChange((state) => options.events.emit('team:connection', connectionOf(state)));
  let coordinator: PollCoordinator;
  let watcher: { stop(): void } | null = null;
  // Bursts are handled in order; the screens hear of one once the settings it changed are read again, so a
  // screen that reloads on it (and the desk's environment) sees the new values.
  let delivered: Promise<void> = Promise.resolve();
  const deliver = async (batch: FeedEvent[]): Promise<void> => {
    if (batch.some((e) => e.kind === 'resync' || e.table === 'settings')) {
      try {
        await store.settings.reload();
        options.onSettingsChanged?.();
      } catch (error) {
        log.warn('settings reload failed', { error });
      }
    }
    if (batch.some((e) => e.kind === 'resync' || e.table === 'team'))
      void refreshKeys().catch((error: unknown) => log.warn('team key refresh failed', { error }));
    const changes = batch.filter((e): e is Extract<FeedEvent, { kind: 'change' }> => e.kind === 'change');
    options.events.emit('team:changes', {
      resync: batch.some((e) => e.kind === 'resync'),
      tables: [...new Set(changes.map((e) => e.table))].slice(0, 64),
      loanIds: [...new Set(changes.flatMap((e) => (e.loanId ? [e.loanId] : [])))].slice(0, 500),
    });
    options.onChanges?.(batch);
  };
  try {
    feed = await openChangeFeed({
      clientConfig,
      logger,
      onState: (state) => connectivity.follow(state),
      onChange: (batch) => {
        delivered = delivered
          .then(() => deliver(batch))
          .catch((error: unknown) => log.warn('a change burst could not be handled', { error }));
      },
    });
    coordinator = await openPollCoordinator({
      clientConfig: { ...clientConfig, application_name: 'AssetDesk polls' },
      logger,
    });
  } catch (error) {
    await feed?.close();
    await store.close();
    throw error;
  }
  const lease = coordinator;
  const links = createOpenLinks({ lease, engine: store.engine, logger });
  const coordination: ReportCoordination = {
    shared: true,
    finishesRemovals: config.role !== 'processor',
    lockLoan: (loanId) => lockLoanForReportCreation(store.engine, loanId),
    claim: (reportId) => lease.tryClaim(reportId),
    holds: (reportId) => lease.confirm(reportId),
    release: (reportId) => lease.release(reportId),
    auditCopyTurn(reportId, auditorId, make) {
      const key = auditCopyKey(reportId, auditorId);
      return lease.turn(key, make, {
        busy: async () => {
          const holder = await lockHolder(store.engine, key).catch(() => null);
          return new AppError({
            code: ErrorCodes.conflict,
            message: `A copy for ${agencyName(auditorId) ?? auditorId} is being made${holder ? ` at ${holder}'s desk` : ''}. Open the audit copies again in a moment: it will be there.`,
            retryable: true,
          });
        },
      });
    },
  };
  return {
    config,
    keyring: () => keyring,
    store,
    connectivity,
    coordination,
    links,
    watchReports({ pending, takeOver }) {
      watcher?.stop();
      watcher = watchUnclaimed({
        list: pending,
        coordinator: lease,
        intervalMs: options.takeoverMs ?? 1_000,
        logger,
        onClaimed: (reportId) => {
          log.info('taking over a pending report no desk was polling', { reportId });
          void takeOver(reportId).catch((error: unknown) => log.warn('takeover failed', { reportId, error }));
        },
      });
    },
    connection: () => connectionOf(connectivity.current()),
    async close() {
      watcher?.stop();
      links.stop();
      await lease.close();
      await feed?.close();
      await store.close();
    },
  };
}

function connectionOf(state: TeamConnectionState): TeamConnection {
  switch (state.status) {
    case 'online':
      return { status: 'online', since: state.since.toISOString() };
    case 'offline':
      return {
        status: 'offline',
        since: state.since.toISOString(),
        reason: state.reason,
        retryAt: state.retryAt ? state.retryAt.toISOString() : null,
      };
    default:
      return { status: 'reconnecting', since: state.since.toISOString(), reason: state.reason };
  }
}
