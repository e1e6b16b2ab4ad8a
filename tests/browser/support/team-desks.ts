import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { RunningEmulator } from '../../../electron/emulator';
import { decodeWireBytes, encodeWire, WIRE_CONTENT_TYPE } from '../../../shared/ipc/codec';
import type { Envelope } from '../../../shared/ipc/contract';
import type { TestDatabase } from '../../helpers/postgres';
import { testKeychainService } from '../../helpers/keychain';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One desk of a team in its own process (team-desk-process.ts): its page address and how to end it. */
export interface TeamDeskProcess {
  name: string;
  url: string;
  userDataDir: string;
  downloadsDir: string;
  child: ChildProcess;
  /** Calls a channel the way the desk's page does (through the bridge, with its token). */
  invoke<T = unknown>(channel: string, payload?: unknown): Promise<Envelope<T>>;
  /** SIGKILL: the desk dies mid-work, as a crash or a pulled plug would leave it. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTeamDeskProcess(options: {
  name: string;
  workDir: string;
  staticDir: string;
  emulator: RunningEmulator;
  takeoverMs?: number;
}): Promise<TeamDeskProcess> {
  const userDataDir = join(options.workDir, options.name, 'user-data');
  mkdirSync(userDataDir, { recursive: true });
  const child = spawn('npx', ['tsx', join(HERE, 'team-desk-process.ts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEAM_DESK: JSON.stringify({
        userDataDir,
        staticDir: options.staticDir,
        keychainService: testKeychainService(),
        emulator: {
          baseUrl: options.emulator.baseUrl,
          clientId: options.emulator.clientId,
          secret: options.emulator.secret,
          linkScriptUrl: options.emulator.linkScriptUrl,
          ...(options.emulator.bankOrigin ? { bankOrigin: options.emulator.bankOrigin } : {}),
        },
        takeoverMs: options.takeoverMs ?? 500,
      }),
    },
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\S+)/.exec(out);
      if (ready) resolve(ready[1]!);
    });
    child.on('exit', (code) => reject(new Error(`desk ${options.name} exited (${code}) before it was ready: ${err}`)));
  });
  const origin = new URL(url).origin;
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';
  return {
    name: options.name,
    url,
    userDataDir,
    downloadsDir: join(userDataDir, 'downloads'),
    child,
    async invoke<T>(channel: string, payload: unknown = {}) {
      const response = await fetch(`${origin}/__bridge/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bridge-token': token },
        body: encodeWire(payload),
      });
      if (response.headers.get('content-type') !== WIRE_CONTENT_TYPE)
        throw new Error(`${channel}: the bridge answered ${response.status} ${await response.text()}`);
      return decodeWireBytes(await response.arrayBuffer()) as Envelope<T>;
    },
    async kill() {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    },
  };
}

/**
 * What the office's DBA does once (README "Team mode"): a login for the team's admin that owns the database
 * and may create the members' logins. Answers the admin's address (with the password).
 */
export async function prepareTeamDatabase(db: TestDatabase): Promise<string> {
  const owner = `${db.name}_owner`;
  const password = `owner-${db.name}-pw`;
  const dba = new pg.Client({ ...db.clientConfig(), database: 'postgres' });
  await dba.connect();
  try {
    await dba.query(`CREATE ROLE ${owner} LOGIN CREATEROLE PASSWORD '${password}'`);
    await dba.query(`ALTER DATABASE ${db.name} OWNER TO ${owner}`);
    await dba.query(`GRANT pg_signal_backend TO ${owner}`);
  } finally {
    await dba.end();
  }
  return `postgres://${owner}:${password}@${db.host}:${db.port}/${db.name}`;
}
