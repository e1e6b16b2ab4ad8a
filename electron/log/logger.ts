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
// A key name is secret when, with case and separators ignored, it ends with one of these: plaidSecret,
// client_secret, DB_PASSWORD, joinCode, x-api-key, Set-Cookie, reportToken … but not tokenType or secretName.
const SECRET_KEY_ENDINGS = [
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'token',
  'tokens',
  'apikey',
  'joincode',
  'authorization',
  'cookie',
  'cookies',
  'ssn',
  'clientid',
  'datakey',
  'recoverykey',
  'privatekey',
];
// Too short to match inside a word (spin, pinned): secret only as the name's last word (currentPin, officer_pin).
const SECRET_KEY_LAST_WORDS = ['pin'];
// Keys whose value in free text runs to the end of the line (Cookie: a=1; b=2, Authorization: Basic …).
const WHOLE_LINE_KEY = /(?:authorization|cookies?)$/i;

/** Whether a field or header of this name holds a secret. Exported for tests and other sinks. */
export function isSecretKey(key: string): boolean {
  const compact = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SECRET_KEY_ENDINGS.some((ending) => compact.endsWith(ending))) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return SECRET_KEY_LAST_WORDS.includes(words.at(-1) ?? '');
}

// A key and its separator in free text, quoted or not: in JSON (also escaped, as JSON text inside JSON: \"key\":),
// in headers (Key: …), in query strings (key=…) and URL-encoded (key%3D…, %22key%22%3A…). A key starts after
// anything but a name character, or right after a %XX escape.
const KEY_IN_TEXT =
  /(?:(?<![A-Za-z0-9_.-])|(?<=%[0-9A-Fa-f]{2}))(?:\\*["']|%22)?([A-Za-z][A-Za-z0-9_.-]{0,63})(?:\\*["']|%22)?[ \t]*(?::|=|%3[ADad])[ \t]*/g;
// The value after a secret key: a scheme and its credentials; a double-quoted string (with escaped quotes inside,
// or itself escaped any number of times); a URL-encoded quoted string; a single-quoted one; else a bare word up
// to a separator.
const VALUE_AT =
  /(?:Bearer|Basic|Token)[ \t]+[^\s"'\\,;&<>}]+|(\\*)"[\s\S]{0,4096}?(?<!\\)\1"|%22[\s\S]{0,4096}?%22|'[^'\r\n]{0,4096}'|(?:(?!%2[26C]|%7D)[^\s"'\\,;&<>}\]])+/iy;
const LINE_VALUE_AT = /[^\r\n"'\\]{1,4096}/y;
// The password in an address: scheme://user:password@host.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\s/?#@]+)@/gi;

/** Each secret-named key's value in free text replaced; the key itself is kept. */
function redactKeyValues(text: string): string {
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(KEY_IN_TEXT)) {
    const key = match[1]!;
    const start = match.index + match[0].length;
    if (match.index < copied || !isSecretKey(key)) continue;
    const pattern = WHOLE_LINE_KEY.test(key) ? LINE_VALUE_AT : VALUE_AT;
    pattern.lastIndex = start;
    const value = pattern.exec(text);
    if (!value) continue;
    out += text.slice(copied, start) + REDACTED;
    copied = start + value[0].length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A run-time secret as it may be written: as is, in a URL, and inside JSON text. */
function writtenForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/** Replaces every secret the logger knows how to recognise. Exported for tests and other sinks. */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = redactKeyValues(text.replace(TOKEN_PATTERN, REDACTED)).replace(URL_PASSWORD, `$1${REDACTED}@`);
  for (const secret of extraSecrets) {
    if (secret.length < 6) continue;
    for (const form of writtenForms(secret)) out = out.split(form).join(REDACTED);
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
    // A secret-named flag (hasSecret: false, password: null) says nothing: it stays.
    const flag = typeof v === 'boolean' || v === null || v === undefined;
    out[k] = isSecretKey(k) && !flag ? REDACTED : redactValue(v, extraSecrets, seen);
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
