/** Plaid-shaped error objects: every non-2xx body the emulator sends is one of these. */
export interface PlaidErrorBody {
  error_type: string;
  error_code: string;
  error_code_reason: string | null;
  error_message: string;
  display_message: string | null;
  request_id?: string;
  causes?: unknown[];
  status?: number | null;
  documentation_url: string;
  suggested_action: string | null;
}

export class PlaidApiError extends Error {
  readonly status: number;
  readonly errorType: string;
  readonly errorCode: string;
  readonly displayMessage: string | null;
  readonly causes: unknown[];

  constructor(
    status: number,
    errorType: string,
    errorCode: string,
    message: string,
    displayMessage: string | null = null,
    causes: unknown[] = [],
  ) {
    super(message);
    this.name = 'PlaidApiError';
    this.status = status;
    this.errorType = errorType;
    this.errorCode = errorCode;
    this.displayMessage = displayMessage;
    this.causes = causes;
  }

  /**
   * The error object as Plaid writes it: `request_id` in HTTP answers, `status` only inside webhooks, `causes`
   * only on report errors (the per-Item breakdown).
   */
  toBody(requestId?: string, where: 'response' | 'webhook' = 'response'): PlaidErrorBody {
    const body: PlaidErrorBody = {
      error_type: this.errorType,
      error_code: this.errorCode,
      error_code_reason: null,
      error_message: this.message,
      display_message: this.displayMessage,
      documentation_url: documentationUrl(this.errorType),
      suggested_action: null,
    };
    if (REPORT_ERROR_TYPES.has(this.errorType)) body.causes = this.causes;
    if (where === 'webhook') body.status = this.status;
    if (requestId !== undefined) body.request_id = requestId;
    return body;
  }

  /** The error as stored on an Item or a report, and as a `cause`: no request id, status or causes. */
  toStored(): Record<string, unknown> {
    const { causes: _c, status: _s, request_id: _r, ...rest } = this.toBody();
    return rest;
  }

  static fromStored(stored: Record<string, unknown>, status = 400): PlaidApiError {
    return new PlaidApiError(
      status,
      String(stored.error_type),
      String(stored.error_code),
      String(stored.error_message ?? ''),
      (stored.display_message as string | null | undefined) ?? null,
      Array.isArray(stored.causes) ? (stored.causes as unknown[]) : [],
    );
  }
}

const REPORT_ERROR_TYPES = new Set(['ASSET_REPORT_ERROR', 'CHECK_REPORT_ERROR']);

/**
 * The section of Plaid's error pages for an error type: `ITEM_ERROR` → `#item-errors`, `INVALID_INPUT` →
 * `#invalid-input-errors`, `RATE_LIMIT_EXCEEDED` → `#rate-limit-exceeded-errors` (a trailing `_ERROR` is not repeated).
 */
export function documentationUrl(errorType: string): string {
  const section = errorType
    .replace(/_ERROR$/, '')
    .toLowerCase()
    .replace(/_/g, '-');
  return `https://plaid.com/docs/?ref=error#${section}-errors`;
}

const invalidRequest = (code: string, message: string, status = 400) =>
  new PlaidApiError(status, 'INVALID_REQUEST', code, message);
const invalidInput = (code: string, message: string) => new PlaidApiError(400, 'INVALID_INPUT', code, message);
const assetReportError = (code: string, message: string, display: string | null = null, causes: unknown[] = []) =>
  new PlaidApiError(400, 'ASSET_REPORT_ERROR', code, message, display, causes);

/** The documented rate-limit codes: Assets endpoints have no code of their own, so they answer the generic one. */
export type RateLimitCode = 'RATE_LIMIT' | 'ITEM_GET_LIMIT' | 'INSTITUTIONS_GET_BY_ID_LIMIT';
const RATE_LIMIT_MESSAGES: Record<RateLimitCode, string> = {
  RATE_LIMIT: 'rate limit exceeded for attempts to access this item. please try again later',
  ITEM_GET_LIMIT: 'rate limit exceeded for attempts to access this item. please try again later',
  INSTITUTIONS_GET_BY_ID_LIMIT: 'rate limit exceeded for attempts to access this institution. please try again later',
};

/** The errors the emulator raises, with Plaid's types, statuses and messages. */
export const PlaidErrors = {
  notFound: () => invalidRequest('NOT_FOUND', 'not found', 404),
  invalidBody: () => invalidRequest('INVALID_BODY', 'body could not be parsed as JSON'),
  missingFields: (fields: string[]) =>
    invalidRequest('MISSING_FIELDS', `the following required fields are missing: ${fields.join(', ')}`),
  unknownFields: (fields: string[]) =>
    invalidRequest('UNKNOWN_FIELDS', `the following fields are not recognized by this endpoint: ${fields.join(', ')}`),
  invalidField: (message: string) => invalidRequest('INVALID_FIELD', message),
  invalidApiKeys: () => invalidInput('INVALID_API_KEYS', 'invalid client_id or secret provided'),
  invalidAccessToken: (malformed = false) =>
    invalidInput(
      'INVALID_ACCESS_TOKEN',
      malformed
        ? 'provided access token is in an invalid format. expected format: access-<environment>-<identifier>'
        : 'could not find matching access token',
    ),
  invalidPublicToken: (malformed = false) =>
    invalidInput(
      'INVALID_PUBLIC_TOKEN',
      malformed
        ? 'provided public token is in an invalid format. expected format: public-<environment>-<identifier>'
        : 'could not find matching public token',
    ),
  invalidLinkToken: (message = 'invalid link_token provided') =>
    new PlaidApiError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', message, 'Please try connecting your account again.'),
  invalidInstitution: () => invalidInput('INVALID_INSTITUTION', 'invalid institution_id provided'),
  invalidProduct: (products: string[]) =>
    invalidInput(
      'INVALID_PRODUCT',
      `client is not authorized to access the following products: ${JSON.stringify(products)}`,
    ),
  invalidAssetReportToken: () =>
    invalidInput('INVALID_ASSET_REPORT_TOKEN', 'could not find matching asset report token'),
  invalidAuditCopyToken: () => invalidInput('INVALID_AUDIT_COPY_TOKEN', 'could not find matching audit copy token'),
  auditCopyNotYours: () =>
    invalidInput(
      'INVALID_AUDIT_COPY_TOKEN',
      'this audit copy was shared with another auditor: only the auditor it names can read it',
    ),
  invalidAccountId: (ids: string[]) =>
    invalidInput('INVALID_ACCOUNT_ID', `failed to find requested account ID for requested item: ${ids.join(', ')}`),
  invalidWebhookKeyId: () =>
    invalidInput(
      'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
      'invalid key_id provided. note that key_ids are specific to Plaid environments, and verification requests must be made to the same environment that the webhook was sent from',
    ),
  productNotReady: () => assetReportError('PRODUCT_NOT_READY', ''),
  productNotEnabled: (tokens: string[]) =>
    assetReportError(
      'PRODUCT_NOT_ENABLED',
      `the 'assets' product is not enabled for the following access tokens: ${tokens.join(', ')}. please ensure that 'assets' is included in the 'product' array when initializing Link and create the Item(s) again.`,
    ),
  generationFailed: () =>
    assetReportError(
      'ASSET_REPORT_GENERATION_FAILED',
      'an unexpected error occurred while generating the asset report. please try again later',
    ),
  dataUnavailable: (causes: unknown[]) =>
    assetReportError(
      'DATA_UNAVAILABLE',
      'unable to pull sufficient data for all items to generate this report. please see the "causes" field for more details',
      null,
      causes,
    ),
  insightsNotEnabled: () =>
    assetReportError(
      'INSIGHTS_NOT_ENABLED',
      'this client is not enabled for Asset Report insights. contact Plaid to enable insights, or request the report without include_insights',
    ),
  insightsPreviouslyNotEnabled: () =>
    assetReportError(
      'INSIGHTS_PREVIOUSLY_NOT_ENABLED',
      'insights were not enabled for this client when the report was created. create a new report to get insights',
    ),
  invalidHeaders: (message = 'Content-Type must be application/json') => invalidRequest('INVALID_HEADERS', message),
  incompatibleApiVersion: (version: string) =>
    invalidRequest(
      'INCOMPATIBLE_API_VERSION',
      `the Plaid-Version header ${JSON.stringify(version)} is not supported by this server; use 2020-09-14`,
    ),
  invalidParent: () =>
    assetReportError(
      'INVALID_PARENT',
      'the parent asset report is not available: it was never completed or has been removed',
    ),
  itemLoginRequired: () =>
    new PlaidApiError(
      400,
      'ITEM_ERROR',
      'ITEM_LOGIN_REQUIRED',
      "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
      'To update your credentials, please log in to your bank through Link.',
    ),
  sandboxWebhookInvalid: () =>
    new PlaidApiError(
      400,
      'SANDBOX_ERROR',
      'SANDBOX_WEBHOOK_INVALID',
      'Webhook for this item is either not set up, or invalid. Please update the webhook URL via /item/webhook/update.',
    ),
  sandboxProductNotEnabled: (product: string) =>
    new PlaidApiError(
      400,
      'SANDBOX_ERROR',
      'SANDBOX_PRODUCT_NOT_ENABLED',
      `The ${product} product is not enabled on this item`,
    ),
  internal: () => new PlaidApiError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'an unexpected error occurred'),
  plannedMaintenance: () =>
    new PlaidApiError(
      503,
      'API_ERROR',
      'PLANNED_MAINTENANCE',
      'the Plaid API is temporarily unavailable due to planned maintenance. visit https://status.plaid.com/ for more information',
      'This service is temporarily unavailable. Please try again later.',
    ),
  rateLimit: (code: RateLimitCode = 'RATE_LIMIT') =>
    new PlaidApiError(429, 'RATE_LIMIT_EXCEEDED', code, RATE_LIMIT_MESSAGES[code]),
};

/** Errors a Sandbox `error_<CODE>` password produces; unknown codes fall back to ITEM_ERROR. */
const CREDENTIAL_ERRORS: Record<string, { type: string; status?: number; message: string; display: string | null }> = {
  INVALID_CREDENTIALS: {
    type: 'ITEM_ERROR',
    message: 'the provided credentials were not correct',
    display: 'The provided credentials were not correct. Please try again.',
  },
  INVALID_MFA: {
    type: 'ITEM_ERROR',
    message: 'the provided MFA response(s) were not correct',
    display: 'The provided MFA responses were not correct. Please try again.',
  },
  ITEM_LOCKED: {
    type: 'ITEM_ERROR',
    message: "the account is locked. prompt the user to visit the institution's site and unlock their account",
    display:
      "The given credentials are correct, but the account is locked. Please visit your bank's website to unlock it.",
  },
  ITEM_LOGIN_REQUIRED: {
    type: 'ITEM_ERROR',
    message:
      "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
    display: 'To update your credentials, please log in to your bank through Link.',
  },
  ITEM_NOT_SUPPORTED: {
    type: 'ITEM_ERROR',
    message: 'this account is currently not supported',
    display:
      'The given account is not currently supported for this financial institution. We apologize for the inconvenience.',
  },
  INSUFFICIENT_CREDENTIALS: {
    type: 'ITEM_ERROR',
    message: 'insufficient authorization was provided to complete the request',
    display: 'You did not complete the login to your bank. Please try again.',
  },
  INVALID_SEND_METHOD: { type: 'ITEM_ERROR', message: 'the provided MFA send_method was invalid', display: null },
  MFA_NOT_SUPPORTED: {
    type: 'ITEM_ERROR',
    message: 'this account requires a form of MFA that is not currently supported',
    display:
      'Your account requires a form of multi-factor authentication that is not currently supported. We apologize for the inconvenience.',
  },
  NO_ACCOUNTS: {
    type: 'ITEM_ERROR',
    message: 'no valid accounts were found for this item',
    display: 'No valid accounts were found at the bank. Please ensure that you are using a valid set of credentials.',
  },
  USER_SETUP_REQUIRED: {
    type: 'ITEM_ERROR',
    message:
      "the account has not been fully set up. prompt the user to visit the issuing institution's site and finish the setup process",
    display: "Your account is not set up. Please visit your bank's website to finish the setup process.",
  },
  PASSWORD_RESET_REQUIRED: {
    type: 'ITEM_ERROR',
    message: 'the user must log into their financial institution and reset their password',
    display: "Please log in to your bank's website and reset your password.",
  },
  INSTITUTION_DOWN: {
    type: 'INSTITUTION_ERROR',
    message: 'this institution is not currently responding to this request. please try again soon',
    display: 'This financial institution is not currently responding to requests. We apologize for the inconvenience.',
  },
  INSTITUTION_NOT_RESPONDING: {
    type: 'INSTITUTION_ERROR',
    message: 'this institution is not currently responding to this request. please try again soon',
    display: 'This financial institution is not currently responding to requests. We apologize for the inconvenience.',
  },
  INSTITUTION_NO_LONGER_SUPPORTED: {
    type: 'INSTITUTION_ERROR',
    message: 'this institution is no longer supported',
    display: 'This financial institution is no longer supported. We apologize for the inconvenience.',
  },
  INSTITUTION_NOT_AVAILABLE: {
    type: 'INSTITUTION_ERROR',
    message: 'this institution is not currently responding to this request. please try again soon',
    display: 'This financial institution is not currently responding to requests. We apologize for the inconvenience.',
  },
  INTERNAL_SERVER_ERROR: { type: 'API_ERROR', status: 500, message: 'an unexpected error occurred', display: null },
  COUNTRY_NOT_SUPPORTED: { type: 'INVALID_REQUEST', message: 'this country is not supported', display: null },
};

export function credentialError(code: string): PlaidApiError {
  const known = CREDENTIAL_ERRORS[code];
  if (known) return new PlaidApiError(known.status ?? 400, known.type, code, known.message, known.display);
  return new PlaidApiError(400, 'ITEM_ERROR', code, `sandbox forced error ${code}`, null);
}

export const itemNotFound = (): PlaidApiError =>
  new PlaidApiError(
    400,
    'ITEM_ERROR',
    'ITEM_NOT_FOUND',
    'the Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user',
  );
export const institutionNotSupported = (): PlaidApiError =>
  new PlaidApiError(
    400,
    'INSTITUTION_ERROR',
    'INSTITUTION_NO_LONGER_SUPPORTED',
    'this institution is no longer supported',
    'This financial institution is no longer supported. We apologize for the inconvenience.',
  );
