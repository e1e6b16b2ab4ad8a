import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { AppError, ErrorCodes } from '../../../shared/errors';

/** Codes for the team database's connection failures. */
export const TeamDatabaseErrorCodes = {
  unreachable: ErrorCodes.teamDatabaseUnreachable,
  tls: ErrorCodes.teamDatabaseTls,
  auth: ErrorCodes.teamDatabaseAuth,
} as const;

/**
 * How TLS is used, with libpq's meanings: `verify-full` (the default) checks the certificate chain against
 * the office CA and the host name; `verify-ca` only the chain; `require` encrypts without checking who
 * answers; `disable` sends everything in clear. `allow`/`prefer` (silently falling back to clear text) are
 * refused rather than guessed at.
 */
export type TeamSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly TeamSslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];

export interface TeamDatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslMode: TeamSslMode;
}

export interface TeamConnectionSettings {
  target: TeamDatabaseTarget;
  /** Kept out of `target` so that what describes the connection can be shown or logged safely. */
  password: string | undefined;
  ssl: false | ConnectionOptions;
}

function invalidUrl(message: string): AppError {
  return new AppError({ code: ErrorCodes.validation, message, retryable: false, field: 'databaseUrl' });
}

/**
 * Reads `postgres://user:pass@host:port/db?sslmode=…` and builds the TLS options ourselves, so the rules
 * above hold whatever node-postgres does with `sslmode` in a URL. `caPem` is the office CA; without it
 * the verified modes trust Node's public roots only.
 */
export function teamConnectionSettings(url: string, caPem?: string): TeamConnectionSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl('The team database address is not a valid postgres:// URL.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw invalidUrl(
      'The team database address must start with postgres:// (for example postgres://host:5432/assetdesk).',
    );
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw invalidUrl('The team database address has no server name.');
  const port = parsed.port ? Number(parsed.port) : 5432;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  const user = decodeURIComponent(parsed.username);
  // Each member signs in as their own database role: never the operating system's user name by default.
  if (!user) throw invalidUrl('The team database address has no user name (postgres://name@host/database).');
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const requested = parsed.searchParams.get('sslmode') ?? 'verify-full';
  if (!SSL_MODES.includes(requested as TeamSslMode))
    throw invalidUrl(
      `sslmode=${requested} is not supported for the team database: use verify-full (the default), verify-ca, require or disable.`,
    );
  const sslMode = requested as TeamSslMode;
  const target: TeamDatabaseTarget = { host, port, database, user, sslMode };
  return { target, password, ssl: tlsOptions(sslMode, host, caPem) };
}

function tlsOptions(mode: TeamSslMode, host: string, caPem: string | undefined): false | ConnectionOptions {
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { ...(caPem ? { ca: caPem } : {}), rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return {
        ...(caPem ? { ca: caPem } : {}),
        rejectUnauthorized: true,
        ...(isIP(host) === 0 ? { servername: host } : {}),
        // Always the name from the URL, never a default such as 'localhost'.
        checkServerIdentity: (_name: string, cert: PeerCertificate) => checkServerIdentity(host, cert),
      };
  }
}

const TLS_CHAIN_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/** SQLSTATEs of a server going away under us (admin shutdown, crash, too many connections). */
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);

function errorChain(err: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = err;
  while (typeof current === 'object' && current !== null && chain.length < 5) {
    chain.push(current as Record<string, unknown>);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * A connection failure as the officer should read it, or null when `err` is not about reaching the server
 * (constraint violations and other SQL errors pass through unchanged for the repositories to handle).
 */
export function teamConnectionError(err: unknown, target: TeamDatabaseTarget): AppError | null {
  if (err instanceof AppError) return err;
  const where = `${target.host}:${target.port}`;
  const chain = errorChain(err);
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : ''));
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : ''));
  const make = (code: string, message: string, retryable: boolean) =>
    new AppError({ code, message, retryable }, { cause: err });

  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID'))
    return make(
      TeamDatabaseErrorCodes.tls,
      `The team database's certificate was not issued for "${target.host}". Use the server name written in its ` +
        'certificate in the database address, or ask your IT team to reissue the certificate — nothing was sent to it.',
      false,
    );
  if (codes.some((c) => TLS_CHAIN_CODES.has(c)))
    return make(
      TeamDatabaseErrorCodes.tls,
      `The team database's certificate (${where}) is not signed by the office CA you set up. Check that the CA ` +
        'certificate in Settings is the one your IT team gave you — nothing was sent to the server.',
      false,
    );
  if (codes.includes('CERT_HAS_EXPIRED') || codes.includes('CERT_NOT_YET_VALID'))
    return make(
      TeamDatabaseErrorCodes.tls,
      `The team database's certificate (${where}) has expired or is not valid yet. Ask your IT team to renew it, ` +
        "and check this computer's date and time.",
      false,
    );
  if (messages.some((m) => m.includes('does not support SSL')))
    return make(
      TeamDatabaseErrorCodes.tls,
      `The team database at ${where} does not offer an encrypted (TLS) connection, so AssetDesk did not sign in. ` +
        'Ask your IT team to turn TLS on for the server.',
      false,
    );
  if (codes.includes('28P01') || codes.includes('28000'))
    return make(
      TeamDatabaseErrorCodes.auth,
      `The team database refused your sign-in as "${target.user}". Check the user name and password in ` +
        'Settings, or ask your team admin to admit you again.',
      false,
    );
  if (codes.includes('3D000'))
    return make(
      TeamDatabaseErrorCodes.unreachable,
      `The team database server at ${where} has no database named "${target.database}". Check the database ` +
        'name in the address your team admin gave you.',
      false,
    );
  const timedOut = messages.some((m) =>
    /timeout expired|connection timeout|timeout exceeded when trying to connect/.test(m),
  );
  if (
    timedOut ||
    codes.some((c) => UNREACHABLE_CODES.has(c) || SERVER_GONE_STATES.has(c)) ||
    messages.some((m) => /Connection terminated/.test(m))
  )
    return make(
      TeamDatabaseErrorCodes.unreachable,
      `AssetDesk can't reach the team database at ${where}${timedOut ? ' (no answer in time)' : ''}. Check your ` +
        'network or VPN connection; if others in the office have the same problem, the database server may be down.',
      true,
    );
  return null;
}
