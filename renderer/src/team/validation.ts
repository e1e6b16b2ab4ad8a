import { JoinCodeText } from '../../../shared/team';

/**
 * The checks the Team forms make before anything is sent, so a mistyped address or a missing certificate
 * is pointed at its field at once. The main process checks everything again (and reaches the server).
 */

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

const ADDRESS_HELP = 'Enter the database address as postgres://user:password@host:5432/database';

/** The team database's address, as the office's IT gives it. */
export function databaseAddressError(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return ADDRESS_HELP;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return ADDRESS_HELP;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return ADDRESS_HELP;
  if (!url.hostname) return 'The address has no server name: postgres://user:password@host:5432/database';
  if (!url.username) return 'The address has no user name: postgres://user:password@host:5432/database';
  if (url.pathname.replace(/^\//, '') === '')
    return 'The address has no database name at the end: postgres://user:password@host:5432/database';
  return undefined;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;

export function caCertificateError(pem: string): string | undefined {
  if (!pem.trim()) return 'Paste the office CA certificate or choose its file (.pem or .crt).';
  if (!PEM_BLOCK.test(pem))
    return 'This is not a certificate: paste the PEM block starting with -----BEGIN CERTIFICATE-----, or choose the file.';
  return undefined;
}

function required(value: string, message: string): string | undefined {
  return value.trim() ? undefined : message;
}

export interface CreateTeamInput {
  url: string;
  caPem: string;
  teamName: string;
  adminName: string;
}

export function createTeamErrors(input: CreateTeamInput): FieldErrors<keyof CreateTeamInput> {
  const errors: FieldErrors<keyof CreateTeamInput> = {
    url: databaseAddressError(input.url),
    caPem: caCertificateError(input.caPem),
    teamName: required(input.teamName, 'Enter the team’s name, for example your branch’s name.'),
    adminName: required(input.adminName, 'Enter your name as your team will see it.'),
  };
  return withoutEmpty(errors);
}

export interface JoinTeamInput {
  joinText: string;
  joinCode: string;
  caPem: string;
}

export function joinTeamErrors(input: JoinTeamInput): FieldErrors<keyof JoinTeamInput> {
  const code = input.joinCode.trim() ? JoinCodeText.safeParse(input.joinCode) : null;
  const errors: FieldErrors<keyof JoinTeamInput> = {
    joinText: required(input.joinText, 'Paste the join text from your team admin’s e-mail.'),
    joinCode: code
      ? code.success
        ? undefined
        : code.error.issues[0]?.message
      : 'Enter the join code your team admin read out to you.',
    caPem: caCertificateError(input.caPem),
  };
  return withoutEmpty(errors);
}

export interface InviteInput {
  name: string;
  email: string;
  expiresInDays: string;
}

export function inviteErrors(input: InviteInput): FieldErrors<keyof InviteInput> {
  const days = input.expiresInDays.trim();
  const email = input.email.trim();
  return withoutEmpty({
    name: required(input.name, 'Enter the new member’s name.'),
    email:
      email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
        ? 'Enter an e-mail address like name@example.com, or leave it empty.'
        : undefined,
    expiresInDays: /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 14 ? undefined : 'Enter 1 to 14 days.',
  });
}

function withoutEmpty<K extends string>(errors: FieldErrors<K>): FieldErrors<K> {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as FieldErrors<K>;
}
