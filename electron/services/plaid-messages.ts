import type { PlaidErrorBody } from './plaid-gateway';

/**
 * What the officer reads for the Plaid error codes AssetDesk meets most: one table for every call and
 * every report failure (Plaid's own display_message, when it sends one, wins over these).
 */
export const OFFICER_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_API_KEYS:
    'Plaid rejected the client ID or secret for this environment. Check them in the Plaid Dashboard (Team Settings → Keys) and save them again in Settings.',
  UNAUTHORIZED_ENVIRONMENT:
    'These Plaid keys are not enabled for this environment. Ask your Plaid administrator to enable it, or switch environment in Settings.',
  ITEM_LOGIN_REQUIRED:
    'The applicant\'s bank needs them to sign in again. Use "Re-link" on the bank to send them through Plaid Link, then try again.',
  PRODUCT_NOT_READY:
    'Plaid is still generating this report. AssetDesk keeps checking; it usually takes under a minute.',
  ASSET_REPORT_GENERATION_FAILED:
    'Plaid could not generate this Asset Report. Try again with fewer days requested; if it fails again, contact Plaid support with the request ID.',
  DATA_UNAVAILABLE:
    "Plaid could not pull data from one of the applicant's banks. Check the banks' status (a bank may need the applicant to re-link), then create the report again.",
  PRODUCT_NOT_ENABLED: 'A linked bank was not connected with the Assets product. Remove it and link it again.',
  RATE_LIMIT_EXCEEDED: 'Plaid is limiting how often AssetDesk may call it. Wait a minute and try again.',
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
  INSIGHTS_NOT_ENABLED: 'Your Plaid account is not enabled for Asset Report insights. Ask Plaid to enable them.',
  DATA_QUALITY_CHECK_FAILED: "Plaid found problems in the bank's data. Try again in a day or two.",
  INTERNAL_SERVER_ERROR: 'Plaid had an internal problem. AssetDesk retried; try again in a few minutes.',
  PLANNED_MAINTENANCE: 'Plaid is down for planned maintenance. Try again later.',
  INVALID_INSTITUTION: 'Plaid does not know this bank in the current environment.',
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: 'A webhook was signed with a key Plaid does not recognise for this environment.',
};

/**
 * The officer's message for a Plaid error: Plaid's display_message, else our table, else `fallback`
 * (which differs by context: a refused call vs a report Plaid could not build).
 */
export function officerMessage(error: PlaidErrorBody, fallback: (code: string) => string): string {
  const display = error.display_message?.trim();
  if (display) return error.display_message!;
  const code = error.error_code ?? 'ASSET_REPORT_ERROR';
  return OFFICER_MESSAGES[code] ?? fallback(code);
}

/** The officer's message for a report Plaid failed to build (ERROR webhook, refused create, failed get). */
export function reportFailureMessage(error: PlaidErrorBody): string {
  return officerMessage(
    error,
    (code) => `Plaid could not generate this report (${code}${error.error_message ? `: ${error.error_message}` : ''}).`,
  );
}
