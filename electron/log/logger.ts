import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LogSink {
  write(line: string): void;
}

const REDACTED = '[REDACTED]';

// Plaid token formats (access-, public-, link-, assets-, audit copy a-) in any environment.
const TOKEN_PATTERN =
  /\b(?:access|public|link|assets)-(?:sandbox|production|development|emulator)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\ba-(?:sandbox|production|development|emulator)-[A-Z2-7]{20,}\b/g;
// Keys whose values are secrets wherever they appear (JSON bodies, headers, axios configs).
const SECRET_KEYS =
  /^(?:secret|plaid-secret|client_id|plaid-client-id|access_token|access_tokens|public_token|link_token|asset_report_token|audit_copy_token|authorization|password|ssn|data_key|datakey|token|x-bridge-token)$/i;
// The same keys inside serialised text ("secret":"…", secret=…, PLAID-SECRET: …).
const SECRET_IN_TEXT =
  /("?(?:secret|plaid-secret|client_id|plaid-client-id|access_token|public_token|asset_report_token|audit_copy_token|password|ssn)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}&]+)/gi;

/** Replaces every secret the logger knows how to recognise. Exported for tests and other sinks. */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_PATTERN, REDACTED).replace(SECRET_IN_TEXT, (_m, key: string) => `${key}${REDACTED}`);
  for (const secret of extraSecrets) {
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep copy with secret-named keys and token-shaped strings removed; safe on cycles and Errors. */
export function redactValue(
  value: unknown,
  extraSecrets: readonly string[] = [],
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redactText(value, extraSecrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Error) {
    // Axios errors carry the request config (with the secret header): keep only what helps.
    const e = value as Error & { code?: unknown; response?: { status?: unknown; data?: unknown } };
    const out: Record<string, unknown> = { name: e.name, message: redactText(e.message, extraSecrets) };
    if (e.code !== undefined) out.code = e.code;
    if (e.response) {
      out.status = e.response.status;
      out.data = redactValue(e.response.data, extraSecrets, seen);
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, extraSecrets, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.test(k) ? REDACTED : redactValue(v, extraSecrets, seen);
  }
  return out;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** Log file (created with its folder); omitted → console only. */
  file?: string;
  level?: LogLevel;
  console?: boolean;
  sinks?: LogSink[];
  /** Values known at run time to be secret (e.g. the configured Plaid secret). */
  secrets?: () => readonly string[];
  clock?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, bindings: LogFields = {}): Logger {
  const minLevel = LEVELS[options.level ?? 'info'];
  const sinks: LogSink[] = [...(options.sinks ?? [])];
  if (options.file) {
    const file = options.file;
    mkdirSync(dirname(file), { recursive: true });
    sinks.push({ write: (line) => appendFileSync(file, line + '\n', { mode: 0o600 }) });
  }
  if (options.console ?? !options.sinks) {
    sinks.push({ write: (line) => process.stderr.write(line + '\n') });
  }
  const clock = options.clock ?? (() => new Date());

  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVELS[level] < minLevel) return;
    const secrets = options.secrets?.() ?? [];
    const record = {
      time: clock().toISOString(),
      level,
      msg: redactText(message, secrets),
      ...(redactValue({ ...bindings, ...fields }, secrets) as LogFields),
    };
    const line = JSON.stringify(record);
    for (const sink of sinks) sink.write(line);
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger({ ...options, sinks, console: false, file: undefined }, { ...bindings, ...more }),
  };
}

/** A logger that keeps lines in memory: for tests that scan output for secrets. */
export function createMemoryLogger(
  options: Omit<LoggerOptions, 'sinks' | 'console' | 'file'> = {},
): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    ...options,
    level: options.level ?? 'debug',
    console: false,
    sinks: [{ write: (l) => lines.push(l) }],
  });
  return Object.assign(logger, { lines });
}
