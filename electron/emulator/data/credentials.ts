import { credentialError, institutionNotSupported, type PlaidApiError } from '../errors';
import type { SandboxInstitution } from './institutions';
import { findPersona, type Persona } from './personas';

/**
 * Sandbox login rules shared by Link and /sandbox/public_token/create: persona usernames with
 * `pass_good`; `mfa_device` asks for code 1234; `error_<CODE>` fails with that code; DOWN institutions refuse logins.
 */
export const SANDBOX_MFA_CODE = '1234';
export const GOOD_PASSWORDS = new Set(['pass_good', 'credential_good']);

export type LoginOutcome = { status: 'ok'; persona: Persona } | { status: 'mfa_required'; persona: Persona };

export function checkLogin(input: {
  institution: SandboxInstitution;
  username: string;
  password: string;
  mfaCode?: string | null;
  skipMfa?: boolean;
}): LoginOutcome {
  const { institution, username, password } = input;
  if (institution.health === 'DOWN') throw credentialError('INSTITUTION_DOWN');
  if (institution.unsupported) throw institutionNotSupported();
  if (password.startsWith('error_')) throw credentialError(password.slice('error_'.length));
  // OAuth banks accept anything on their fake login page.
  const persona = findPersona(username) ?? (institution.oauth ? findPersona('user_good') : undefined);
  if (!persona) throw invalidCredentials();
  if (password === 'mfa_device') {
    if (input.skipMfa) return { status: 'ok', persona };
    if (input.mfaCode === undefined || input.mfaCode === null || input.mfaCode === '')
      return { status: 'mfa_required', persona };
    if (input.mfaCode !== SANDBOX_MFA_CODE) throw credentialError('INVALID_MFA');
    return { status: 'ok', persona };
  }
  if (!GOOD_PASSWORDS.has(password) && !institution.oauth) throw invalidCredentials();
  return { status: 'ok', persona };
}

const invalidCredentials = (): PlaidApiError => credentialError('INVALID_CREDENTIALS');
