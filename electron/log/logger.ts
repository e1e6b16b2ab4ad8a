import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
  /** Calls `listener` once, on the first write that fails (disk full, folder gone); later failures are only counted. */
  onWriteFailure?(listener: (failure: LogWriteFailure) => void): void;
  /** How many log lines could not be written so far. */
  writeFailures?(): number;
}

export interface LogWriteFailure {
  failures: number;
  message: string;
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
  /^(?:secret|plaid-secret|client_id|plaid-client-id|access_token|access_tokens|public_token|link_token|asset_report_token|audit_copy_token|authorization|password|ssn|data_key|datakey|token|x-bridge-token|recoverykey|recovery_key)$/i;
// The same keys inside serialised text ("secret":"…", secret=…, PLAID-SECRET: …).
const SECRET_IN_TEXT =
  /("?(?:secret|plaid-secret|client_id|plaid-client-id|access_token|public_token|asset_report_token|audit_copy_token|password|ssn|recoveryKey|recovery_key)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}&]+)/gi;

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

export interface LoggerOptions {
  /** Log file (created owner-only with its folder); omitted → console only. */
  file?: string;
  level?: LogLevel;
  console?: boolean;
  sinks?: LogSink[];
  /** Values known at run time to be secret (e.g. the configured Plaid secret). */
  secrets?: () => readonly string[];
  clock?: () => Date;
  /** The file is rotated past this size (default 5 MiB) … */
  maxFileBytes?: number;
  /** … keeping this many older files (assetdesk.log.1 …), so the log never grows without bound. */
  keepFiles?: number;
}

/**
 * The log file as a sink that never throws: a failed write (ENOSPC, EROFS, a removed folder) is counted,
 * the first one is reported to the listeners, and the app carries on. Rotation by size keeps the total
 * under (keepFiles + 1) × maxFileBytes.
 */
class GuardedFileSink implements LogSink {
  private fd: number | null = null;
  private size = 0;
  failures = 0;
  private readonly listeners: ((failure: LogWriteFailure) => void)[] = [];
  private reported = false;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {}

  onFailure(listener: (failure: LogWriteFailure) => void): void {
    this.listeners.push(listener);
    if (this.reported) listener(this.failureInfo());
  }

  write(line: string): void {
    try {
      if (this.fd === null) {
        mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.file, 'a', 0o600);
        this.size = fstatSync(this.fd).size;
      }
      const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
      if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fd!, bytes, offset);
      this.size += bytes.length;
    } catch (error) {
      this.failed(error);
    }
  }

  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let n = this.keep - 1; n >= 1; n -= 1) {
      try {
        renameSync(`${this.file}.${n}`, `${this.file}.${n + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    if (this.keep > 0) renameSync(this.file, `${this.file}.1`);
    else rmSync(this.file, { force: true });
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = 0;
  }

  private failureInfo(): LogWriteFailure {
    return {
      failures: this.failures,
      message: `AssetDesk cannot write its log file (${this.file}): ${this.reason}. Your work is still saved; free disk space or check the folder so problems can be diagnosed.`,
    };
  }

  private reason = '';

  private failed(error: unknown): void {
    this.failures += 1;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already unusable
      }
      this.fd = null; // reopen on the next line: the disk may have space again
    }
    if (this.reported) return;
    this.reported = true;
    const code = (error as { code?: unknown }).code;
    this.reason =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full'
        : code === 'EROFS'
          ? 'the disk is read-only'
          : code === 'EACCES' || code === 'EPERM'
            ? 'it is not allowed to write there'
            : `the write failed (${String(code ?? 'unknown')})`;
    const info = this.failureInfo();
    for (const listener of this.listeners) {
      try {
        listener(info);
      } catch {
        // a listener must not take logging down either
      }
    }
  }
}

/** Writes to every sink; a sink that throws (a closed stderr …) never reaches the caller. */
function fanOut(sinks: LogSink[]): { write(line: string): void } {
  return {
    write(line) {
      const text = line.endsWith('\n') ? line.slice(0, -1) : line;
      for (const sink of sinks) {
        try {
          sink.write(text);
        } catch {
          // counted by the guarded file sink; console and test sinks have nothing to count
        }
      }
    },
  };
}

export function createLogger(options: LoggerOptions = {}, bindings: LogFields = {}): Logger {
  const sinks: LogSink[] = [...(options.sinks ?? [])];
  let fileSink: GuardedFileSink | null = null;
  if (options.file) {
    fileSink = new GuardedFileSink(options.file, options.maxFileBytes ?? 5 * 1024 * 1024, options.keepFiles ?? 3);
    sinks.push(fileSink);
  }
  if (options.console ?? !options.sinks) {
    sinks.push({ write: (line) => process.stderr.write(line + '\n') });
  }
  const clock = options.clock ?? (() => new Date());
  const secrets = () => options.secrets?.() ?? [];
  const root = pino(
    {
      level: options.level ?? 'info',
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${clock().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (fields) => redactValue(fields, secrets()) as LogFields,
        log: (fields) => redactValue(fields, secrets()) as LogFields,
      },
      hooks: {
        // The message is free text: redact it like any value.
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          if (typeof first === 'string') return method.call(this, redactText(first, secrets()));
          return method.call(this, first as object, redactText(String(second ?? ''), secrets()));
        },
      },
    },
    fanOut(sinks),
  );
  return wrap(root, fileSink, secrets, bindings);
}

function wrap(
  parent: pino.Logger,
  fileSink: GuardedFileSink | null,
  secrets: () => readonly string[],
  bindings: LogFields = {},
): Logger {
  // pino serialises child bindings once, without the log formatter: redact them here.
  const instance =
    Object.keys(bindings).length > 0 ? parent.child(redactValue(bindings, secrets()) as LogFields) : parent;
  const emit =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      try {
        if (fields) instance[level](fields, message);
        else instance[level](message);
      } catch {
        // Logging never takes the app down (a listener or a serializer that throws included).
      }
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (more) => wrap(instance, fileSink, secrets, more),
    onWriteFailure: (listener) => fileSink?.onFailure(listener),
    writeFailures: () => fileSink?.failures ?? 0,
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
