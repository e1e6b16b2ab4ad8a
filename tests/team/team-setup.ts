import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openPostgresEngine, type PostgresEngine } from '../../electron/db/postgres/engine';
import { migratePostgres } from '../../electron/db/postgres/migrations';
import { teamGroupRoleNames } from '../../electron/db/postgres/migrations/003_team_members';
import { openTeamStore, type TeamStore } from '../../electron/db/team-store';
import type { TeamConnection } from '../../electron/services/team/join';
import type { RunningEmulator } from '../../electron/emulator';
import type { AppServicesDeps } from '../../electron/services/app-services';
import { joinTeam } from '../../electron/services/team/join';
import { createTeam, inviteMember, type CreatedTeam } from '../../electron/services/team/team-admin';
import { startHarness, type CoreHarness } from '../core/harness';
import { teamDeskFolder } from '../helpers/team-desks';
import { createTeamValueCipher } from '../../electron/services/team/value-cipher';
import type { TeamKeyring } from '../../electron/services/team/keys';
import { createTestDatabase, postgresCluster, type ClusterAddress, type TestDatabase } from '../helpers/postgres';

/**
 * A team database set up the way the README tells the office's DBA to: one login that owns the database, with
 * CREATEROLE and pg_signal_backend; the admin's desk migrates it and creates the team. Everything this file
 * opens is closed, and the database and every role it made are dropped, after the file's tests.
 */
export interface TeamFixture {
  db: TestDatabase;
  ownerUser: string;
  ownerUrl: string;
  /** The admin's desk, signed in as the owner. */
  admin: PostgresEngine;
  team: CreatedTeam;
  /** A member's desk, signed in with what joinTeam returned. */
  connect(connection: TeamConnection): Promise<PostgresEngine>;
  openStore(connection: TeamConnection | null, keyring: TeamKeyring): Promise<TeamStore>;
  /** A plain pg client as that login (for checking exactly what the server refuses). */
  client(connection: TeamConnection): Promise<pg.Client>;
  /** As the DBA (superuser). */
  dba(): Promise<pg.Client>;
}

export async function setUpTeamDatabase(cluster: ClusterAddress = postgresCluster()): Promise<TeamFixture> {
  const db = await createTestDatabase('assetdesk_team', cluster);
  const prefix = teamGroupRoleNames(db.name).admin.replace(/_admin$/, '_');
  const ownerUser = `${prefix}owner`;
  const ownerPassword = randomBytes(18).toString('base64url');
  const opened: { close(): Promise<void> }[] = [];
  const clients: pg.Client[] = [];

  const dba = async () => {
    const client = new pg.Client(db.clientConfig());
    // A server restart in a test ends this session too; without a listener that would end the test process.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  // What the README asks the DBA to run (the database already exists here, so it changes hands).
  const setup = await dba();
  try {
    await setup.query(`CREATE ROLE ${ownerUser} LOGIN CREATEROLE PASSWORD '${ownerPassword}'`);
    await setup.query(`ALTER DATABASE ${db.name} OWNER TO ${ownerUser}`);
    await setup.query(`GRANT pg_signal_backend TO ${ownerUser}`);
  } finally {
    await setup.end();
  }
  const base = `postgres://${cluster.host}:${cluster.port}/${db.name}`;
  const ownerUrl = base.replace('postgres://', `postgres://${ownerUser}:${ownerPassword}@`);
  const admin = await openPostgresEngine({ url: ownerUrl, caPem: db.caPem, connectionTimeoutMs: 5000 });
  opened.push(admin);
  await migratePostgres(admin);
  const team = await createTeam({ engine: admin, name: 'Oak Street Branch', adminName: 'Alice Admin' });

  const withPassword = (connection: TeamConnection) => {
    const url = new URL(connection.url);
    url.password = connection.password;
    return url.toString();
  };

  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    for (const engine of opened) await engine.close().catch(() => undefined);
    const cleanup = new pg.Client({ ...db.clientConfig(), database: 'postgres' });
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
      const { rows } = await cleanup.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY rolname = $2',
        [prefix, ownerUser],
      );
      for (const { rolname } of rows) await cleanup.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(rolname)}`);
    } finally {
      await cleanup.end();
    }
  });

  return {
    db,
    ownerUser,
    ownerUrl,
    admin,
    team,
    async connect(connection) {
      const engine = await openPostgresEngine({
        url: withPassword(connection),
        caPem: db.caPem,
        connectionTimeoutMs: 5000,
      });
      opened.push(engine);
      return engine;
    },
    async openStore(connection, keyring) {
      const store = await openTeamStore({
        url: connection ? withPassword(connection) : ownerUrl,
        caPem: db.caPem,
        cipher: createTeamValueCipher(keyring),
        migrate: connection === null,
      });
      opened.push(store);
      return store;
    },
    async client(connection) {
      const url = new URL(connection.url);
      const client = new pg.Client({
        host: url.hostname,
        port: Number(url.port),
        database: decodeURIComponent(url.pathname.slice(1)),
        user: connection.user,
        password: connection.password,
        ssl: { ca: db.caPem, rejectUnauthorized: true },
      });
      client.on('error', () => undefined);
      await client.connect();
      clients.push(client);
      return client;
    },
    dba: async () => {
      const client = await dba();
      clients.push(client);
      return client;
    },
  };
}

/**
 * A whole desk (the app's services over a user-data folder and keychain as joining leaves them) signed in as
 * the team's owner login (the admin) or as a member invited and joined here, with their own login and key pair.
 * The caller closes it (which also removes its folder).
 */
export async function startTeamDesk(
  fixture: TeamFixture,
  emulator: RunningEmulator,
  desk: { role: 'admin' } | { role: 'officer' | 'processor'; name: string },
  services: Partial<AppServicesDeps> = {},
): Promise<CoreHarness & { memberId: string }> {
  let folder: { userDataDir: string; keychainService: string };
  let memberId: string;
  if (desk.role === 'admin') {
    memberId = fixture.team.memberId;
    folder = await teamDeskFolder({
      db: fixture.db,
      keyring: fixture.team.keyring,
      role: 'admin',
      memberName: 'Alice Admin',
      memberId,
      memberKeyPair: fixture.team.keyPair,
      user: fixture.ownerUser,
      password: decodeURIComponent(new URL(fixture.ownerUrl).password),
    });
  } else {
    const invitation = await inviteMember({
      engine: fixture.admin,
      keyring: fixture.team.keyring,
      name: desk.name,
      role: desk.role,
      expiresAt: new Date(Date.now() + 24 * 3600_000),
    });
    const joined = await joinTeam({
      joinText: invitation.joinText,
      joinCode: invitation.joinCode,
      caPem: fixture.db.caPem,
    });
    memberId = joined.memberId;
    folder = await teamDeskFolder({
      db: fixture.db,
      keyring: joined.keyring,
      role: desk.role,
      memberName: desk.name,
      memberId,
      memberKeyPair: joined.keyPair,
      user: joined.connection.user,
      password: joined.connection.password,
    });
  }
  const harness = await startHarness({ emulator, ...folder, services: { teamTakeoverMs: 200, ...services } });
  const close = harness.close;
  return Object.assign(harness, {
    memberId,
    async close() {
      await close();
      rmSync(folder.userDataDir, { recursive: true, force: true });
    },
  });
}
