import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real PostgreSQL cluster for tests, from the machine's own packages: `initdb` in a temporary
 * folder, `pg_ctl` on a free loopback port, TLS on with a throwaway certificate authority (so the app's
 * `sslmode=verify-full` is exercised), passwords checked with SCRAM. Nothing system-wide is touched;
 * `stop()` shuts the cluster down and deletes the folder.
 *
 * PostgreSQL refuses to run as root, so as root (CI, these machines) the cluster runs as the
 * `postgres` user Debian's package creates.
 */
export interface PostgresCluster {
  host: string;
  port: number;
  /** The superuser (the office's database administrator in the tests). */
  superuser: string;
  password: string;
  /** PEM of the certificate authority that signed the server's certificate. */
  caPem: string;
  caFile: string;
  /** `postgres://…` for `database` as the superuser, TLS verified against the test CA. */
  url(database?: string): string;
  /** Stops the server (`fast`: open sessions are ended, as an office's restart does); the data stays. */
  halt(): void;
  /** Starts it again on the same port with the same data. */
  resume(): void;
  stop(): void;
}

const SUPERUSER = 'assetdesk_dba';

/** `initdb`/`pg_ctl` on PATH, else Debian's versioned folder. */
export function postgresBinaries(): { initdb: string; pgCtl: string } | null {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb && command -v pg_ctl'], { encoding: 'utf8' });
  if (fromPath.status === 0) {
    const [initdb, pgCtl] = fromPath.stdout.trim().split('\n');
    if (initdb && pgCtl) return { initdb, pgCtl };
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) return null;
  const bin = join(base, versions[0]!, 'bin');
  return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function runAs(user: string | null, command: string, args: string[]): void {
  const [cmd, argv] = user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/** A CA and a server certificate for 127.0.0.1/localhost, made with the openssl command. */
function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=AssetDesk test office CA'].concat([
      '-keyout',
      caKey,
      '-out',
      caFile,
    ]),
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', keyFile, '-out', csr]);
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '2'].concat([
      '-extfile',
      ext,
      '-out',
      certFile,
    ]),
  );
  return { caFile, certFile, keyFile };
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bins = postgresBinaries();
  if (!bins)
    throw new Error(
      'PostgreSQL is not installed: team-mode tests need initdb and pg_ctl (Debian: apt-get install postgresql). See README.',
    );
  const asUser = process.getuid?.() === 0 ? 'postgres' : null;
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-pg-'));
  const data = join(dir, 'data');
  const password = `test-${process.pid}-${Date.now()}`;
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, `${password}\n`);
  const certs = makeCertificates(dir);
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    for (const file of readdirSync(dir)) chownSync(join(dir, file), uid, gid);
  }
  chmodSync(certs.keyFile, 0o600);
  const port = await freePort();
  runAs(
    asUser,
    bins.initdb,
    ['-D', data, '-A', 'scram-sha-256', '-U', SUPERUSER, `--pwfile=${pwFile}`, '-E', 'UTF8'].concat([
      '--locale=C.UTF-8',
    ]),
  );
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c ssl=on',
    `-c ssl_cert_file=${certs.certFile}`,
    `-c ssl_key_file=${certs.keyFile}`,
    `-c ssl_ca_file=${certs.caFile}`,
    '-c fsync=off', // a throwaway test cluster: durability across power cuts is not what is tested
    '-c max_connections=200',
  ].join(' ');
  runAs(asUser, bins.pgCtl, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const { readFileSync } = await import('node:fs');
  const caPem = readFileSync(certs.caFile, 'utf8');
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    superuser: SUPERUSER,
    password,
    caPem,
    caFile: certs.caFile,
    url: (database = 'postgres') =>
      `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    halt: () => runAs(asUser, bins.pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: () => runAs(asUser, bins.pgCtl, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAs(asUser, bins.pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
