/**
 * The one error shape that crosses process boundaries (IPC, web bridge, progress events).
 * `message` is written for the loan officer: it says what happened and what to do next.
 */
export interface AppErrorShape {
  code: string;
  message: string;
  retryable: boolean;
  /** Dotted path of the offending field, for validation errors. */
  field?: string;
  /** Plaid's request_id, for support tickets. */
  requestId?: string;
}

export class AppError extends Error implements AppErrorShape {
  readonly code: string;
  readonly retryable: boolean;
  readonly field?: string;
  readonly requestId?: string;

  constructor(shape: AppErrorShape, options?: { cause?: unknown }) {
    super(shape.message, options);
    this.name = 'AppError';
    this.code = shape.code;
    this.retryable = shape.retryable;
    if (shape.field !== undefined) this.field = shape.field;
    if (shape.requestId !== undefined) this.requestId = shape.requestId;
  }

  toShape(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.field !== undefined) shape.field = this.field;
    if (this.requestId !== undefined) shape.requestId = this.requestId;
    return shape;
  }

  static from(shape: AppErrorShape): AppError {
    return new AppError(shape);
  }
}

export function isAppErrorShape(value: unknown): value is AppErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string' && typeof v.retryable === 'boolean';
}

/** Codes the app itself raises (Plaid's own codes pass through unchanged). */
export const ErrorCodes = {
  validation: 'VALIDATION_FAILED',
  forbiddenSender: 'FORBIDDEN_SENDER',
  unknownChannel: 'UNKNOWN_CHANNEL',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  keychainUnavailable: 'KEYCHAIN_UNAVAILABLE',
  credentialsMissing: 'CREDENTIALS_NOT_CONFIGURED',
  storeCorrupt: 'STORE_DATA_CORRUPT',
  storeTooNew: 'STORE_TOO_NEW',
  storeKeyMismatch: 'STORE_KEY_MISMATCH',
  /** The disk holding the local history is full: the change was not saved. */
  diskFull: 'DISK_FULL',
  /** The local history's folder or file cannot be written (read-only disk, permissions). */
  dataFolderUnwritable: 'DATA_FOLDER_UNWRITABLE',
  /** Another AssetDesk (window, web bridge, command line) has this history open. */
  historyInUse: 'HISTORY_IN_USE',
  exportFailed: 'EXPORT_FAILED',
  network: 'NETWORK_ERROR',
  /** AssetDesk is quitting (or restarting): the Plaid call was not sent. */
  stopping: 'APP_STOPPING',
  internal: 'INTERNAL_ERROR',
  cancelled: 'CANCELLED',
  /** The officer typed a loan number another file already has. */
  loanNumberTaken: 'LOAN_NUMBER_TAKEN',
  // Team mode (the office's PostgreSQL)
  /** The team database cannot be reached now; nothing that needs it was done. */
  teamOffline: 'TEAM_OFFLINE',
  teamDatabaseUnreachable: 'TEAM_DATABASE_UNREACHABLE',
  teamDatabaseTls: 'TEAM_DATABASE_TLS',
  teamDatabaseAuth: 'TEAM_DATABASE_AUTH',
  /** This desk is set up for a team but the team key is not in its keychain. */
  teamKeyMissing: 'TEAM_KEY_MISSING',
  /** The member's role does not allow this (the database refuses it too). */
  roleNotAllowed: 'ROLE_NOT_ALLOWED',
  teamNotAvailable: 'TEAM_NOT_AVAILABLE',
} as const;
