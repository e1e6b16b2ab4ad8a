import type { PlaidErrorBody } from './plaid-gateway';

/**
 * What the officer reads for the Plaid error codes AssetDesk meets most: one table for every call and
 * every report failure (Plaid's own display_message, when it sends one, wins over these).
 */
export const OFFICER_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_API_KEYS:
    'Plaid rejected the client ID or secret for this environment. Check them in the Plaid Dashboard (Developers → Keys) and save them again in Settings.',
  UNAUTHORIZED_ENVIRONMENT:
    'These Plaid keys are not enabled for this environment. Ask your Plaid administrator to enable it, or switch environment in Settings.',
  ITEM_LOGIN_REQUIRED:
    'The applicant\'s bank needs them to sign in again. Use "Re-link" on the bank to send them through Plaid Link, then try again.',
  PRODUCT_NOT_READY:
    'Plaid is still generating this report. AssetDesk keeps checking; it usually takes under a minute.',
  ASSET_REPORT_GENERATION_FAILED:
    'Plaid could not generate this Asset Report. Try again with fewer days requested; if it fails again, contact Plaid support with the IDs on the report’s screen.',
  DATA_UNAVAILABLE:
    "Plaid could not pull data from one of the applicant's banks. Check the banks' status (a bank may need the applicant to re-link), then create the report again.",
  INVALID_PRODUCT:
    'Your Plaid account is not enabled for a product or add-on this needs (Assets, or Fast Assets for a first look). Ask Plaid to enable it, or create the report without Fast Assets.',
  PRODUCT_NOT_ENABLED: 'A linked bank was not connected with the Assets product. Remove it and link it again.',
  RATE_LIMIT: 'Plaid is limiting how often AssetDesk may call it. Wait a minute and try again.',
  INSTITUTION_DOWN: "The applicant's bank is not responding to Plaid right now. Try again later.",
  INSTITUTION_NOT_RESPONDING: "The applicant's bank is not responding to Plaid right now. Try again later.",
  INVALID_CREDENTIALS:
    'The bank rejected the username or password the applicant entered. Ask them to link again with the right credentials.',
  INVALID_ACCESS_TOKEN:
    'Plaid no longer recognises this bank connection (it may have been removed, or belongs to another environment). Link the bank again.',
  ITEM_NOT_FOUND: 'Plaid no longer has this bank connection. Link the bank again.',
  INVALID_PUBLIC_TOKEN: 'The Plaid Link session expired before it could be saved. Link the bank again.',
  INVALID_LINK_TOKEN: 'The Plaid Link session expired. Start linking again.',
  INVALID_ASSET_REPORT_TOKEN:
    'Plaid no longer has this Asset Report (it was removed or belongs to another environment).',
  INVALID_AUDIT_COPY_TOKEN: 'Plaid no longer has this audit copy (it was revoked or its report was removed).',
  INVALID_PARENT:
    'This report is not complete at Plaid (or was removed), so it cannot be refreshed, filtered or shared. Create a new report.',
  INSIGHTS_NOT_ENABLED:
    'Your Plaid account is not enabled for Asset Report insights. AssetDesk now fetches reports without them; ask Plaid to enable them if you need merchant names and categories.',
  INSIGHTS_PREVIOUSLY_NOT_ENABLED:
    'This report was made while your Plaid account had no insights, so it is fetched without them.',
  DATA_QUALITY_CHECK_FAILED: "Plaid found problems in the bank's data. Try again in a day or two.",
  INTERNAL_SERVER_ERROR: 'Plaid had an internal problem. AssetDesk retried; try again in a few minutes.',
  PLANNED_MAINTENANCE: 'Plaid is down for planned maintenance. Try again later.',
  INVALID_INSTITUTION: 'Plaid does not know this bank in the current environment.',
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: 'A webhook was signed with a key Plaid does not recognise for this environment.',
};

/** Messages by Plaid's error_type, for codes the table above does not name (e.g. any rate-limit code). */
export const OFFICER_MESSAGES_BY_TYPE: Readonly<Record<string, string>> = {
  RATE_LIMIT_EXCEEDED: 'Plaid is limiting how often AssetDesk may call it. Wait a minute and try again.',
};

/** Codes worth another try later (the gateway also retries any 429 or 5xx, and every rate-limit type). */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'RATE_LIMIT',
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'PRODUCT_NOT_READY',
]);
export const RETRYABLE_ERROR_TYPES: ReadonlySet<string> = new Set(['RATE_LIMIT_EXCEEDED']);

/** The answers of /asset_report/get for a client (or a report) without insights: fetch without them. */
export const INSIGHTS_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'INSIGHTS_NOT_ENABLED',
  'INSIGHTS_PREVIOUSLY_NOT_ENABLED',
]);

/** AssetDesk's own code (not Plaid's) for a call that makes something, whose outcome at Plaid is unknown. */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/** Every Plaid error code and error type the app keys a rule or a message on (a test checks them against Plaid's spec). */
export function plaidCodesNamed(): { codes: string[]; types: string[] } {
  return {
    codes: [
      ...new Set([
        ...Object.keys(OFFICER_MESSAGES),
        ...RETRYABLE_ERROR_CODES,
        ...INSIGHTS_UNAVAILABLE_CODES,
        'PLANNED_MAINTENANCE',
      ]),
    ],
    types: [...new Set([...Object.keys(OFFICER_MESSAGES_BY_TYPE), ...RETRYABLE_ERROR_TYPES, 'ASSET_REPORT_ERROR'])],
  };
}

/**
 * The officer's message for a Plaid error: Plaid's display_message, else our table, else `fallback`
 * (which differs by context: a refused call vs a report Plaid could not build).
 */
export function officerMessage(error: PlaidErrorBody, fallback: (code: string) => string): string {
  const display = error.display_message?.trim();
  if (display) return error.display_message!;
  const code = error.error_code ?? 'ASSET_REPORT_ERROR';
  return (
    OFFICER_MESSAGES[code] ??
    (error.error_type ? OFFICER_MESSAGES_BY_TYPE[error.error_type] : undefined) ??
    fallback(code)
  );
}

/** The officer's message for a report Plaid failed to build (ERROR webhook, refused create, failed get). */
export function reportFailureMessage(error: PlaidErrorBody): string {
  return officerMessage(
    error,
    (code) => `Plaid could not generate this report (${code}${error.error_message ? `: ${error.error_message}` : ''}).`,
  );
}
