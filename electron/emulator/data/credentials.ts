import { credentialError, institutionNotSupported, type PlaidApiError } from '../errors';
import { CUSTOM_USERNAME, customPersona, readCustomUser } from './custom-user';
import type { SandboxInstitution } from './institutions';
import { findPersona, type Persona } from './personas';

/**
 * Sandbox login rules shared by Link and /sandbox/public_token/create: persona usernames with
 * `pass_good`; `mfa_device` asks for code 1234; `error_<CODE>` fails with that code; DOWN institutions refuse logins.
 * `user_custom` takes a JSON configuration as its password (custom-user.ts); Plaid's pre-populated test users log in
 * with any password as the emulator persona closest to them.
 */
export const SANDBOX_MFA_CODE = '1234';
export const GOOD_PASSWORDS = new Set(['pass_good', 'credential_good']);

/**
 * Plaid's documented pre-populated Sandbox users (any password) and the persona each logs in as: Plaid does not
 * publish their data, so each gets the emulator customer whose money looks most like the description.
 */
export const PREPOPULATED_USERS: Readonly<Record<string, string>> = {
  // Transactions users: Sandbox's standard data.
  user_transactions_dynamic: 'user_good',
  user_ewa_user: 'user_good',
  user_yuppie: 'user_good',
  user_small_business: 'user_good',
  // Income and credit users.
  user_bank_income: 'user_steady_saver', // many income streams → regular payroll
  user_credit_bonus: 'user_large_deposit', // salary plus a bonus → payroll plus one large deposit
  user_credit_joint_account: 'user_joint', // two salaries, two identities
  user_credit_profile_poor: 'user_nsf', // net loss, no steady income → overdrafts and NSF fees
  user_credit_profile_good: 'user_steady_saver', // neutral cash flow
  user_credit_profile_excellent: 'user_steady_saver', // positive cash flow, high salary
};

export type LoginOutcome = {
  status: 'ok' | 'mfa_required';
  persona: Persona;
  /** For `user_custom`: the configuration the Item keeps (null: none, the Item has user_good's data). */
  customUser: string | null;
};

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
  // Special users are ignored at OAuth banks, whose fake login page takes anything (below).
  if (username === CUSTOM_USERNAME && !institution.oauth) {
    const custom = readCustomUser(password);
    if (custom.forceError !== null) throw credentialError(custom.forceError);
    const persona = custom.stored === null ? findPersona('user_good') : customPersona(custom.stored);
    if (!persona) throw new Error('user_good persona missing');
    return { status: 'ok', persona, customUser: custom.stored };
  }
  if (password.startsWith('error_')) throw credentialError(password.slice('error_'.length));
  const prepopulated = PREPOPULATED_USERS[username];
  if (prepopulated !== undefined && !institution.oauth) {
    const persona = findPersona(prepopulated);
    if (!persona) throw new Error(`${prepopulated} persona missing`);
    return { status: 'ok', persona, customUser: null };
  }
  // OAuth banks accept anything on their fake login page.
  const persona = findPersona(username) ?? (institution.oauth ? findPersona('user_good') : undefined);
  if (!persona) throw invalidCredentials();
  if (password === 'mfa_device') {
    if (input.skipMfa) return { status: 'ok', persona, customUser: null };
    if (input.mfaCode === undefined || input.mfaCode === null || input.mfaCode === '')
      return { status: 'mfa_required', persona, customUser: null };
    if (input.mfaCode !== SANDBOX_MFA_CODE) throw credentialError('INVALID_MFA');
    return { status: 'ok', persona, customUser: null };
  }
  if (!GOOD_PASSWORDS.has(password) && !institution.oauth) throw invalidCredentials();
  return { status: 'ok', persona, customUser: null };
}

const invalidCredentials = (): PlaidApiError => credentialError('INVALID_CREDENTIALS');
