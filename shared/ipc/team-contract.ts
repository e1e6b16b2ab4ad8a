import { z } from 'zod';
import { TeamMember, TeamRole } from '../team';

/**
 * Team mode's channels and events (issue 16): one history on the office's PostgreSQL for a branch.
 * Secrets never cross here: database passwords, the team key and member private keys stay in the main
 * process and the keychain; a join text/code pair is shown to the admin once, to pass on.
 */

const none = z.strictObject({});
const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);

/** A PEM certificate (the office CA); only its shape is checked here, the main process parses it. */
const CaPem = z
  .string()
  .max(64 * 1024)
  .refine((pem) => /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem), {
    message: 'Paste the office CA certificate (a PEM block starting with -----BEGIN CERTIFICATE-----).',
  });

export const TeamConnection = z.discriminatedUnion('status', [
  z.object({ status: z.literal('online'), since: z.string() }),
  z.object({ status: z.literal('offline'), since: z.string(), reason: z.string(), retryAt: z.string().nullable() }),
  z.object({ status: z.literal('reconnecting'), since: z.string(), reason: z.string() }),
]);
export type TeamConnection = z.infer<typeof TeamConnection>;

export const TeamStatus = z.object({
  mode: z.enum(['local', 'team']),
  /** Present in team mode. */
  team: z.object({ id, name: z.string() }).nullable(),
  member: z.object({ id, name: z.string(), role: TeamRole }).nullable(),
  /** Where the team database is (no credentials). */
  server: z.object({ host: z.string(), port: z.number().int(), database: z.string() }).nullable(),
  connection: TeamConnection.nullable(),
  /** Set when the desk is configured for a team but could not open it (shown with what to do). */
  problem: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type TeamStatus = z.infer<typeof TeamStatus>;

export const MoveReport = z.object({
  loans: z.number().int(),
  borrowers: z.number().int(),
  items: z.number().int(),
  reports: z.number().int(),
  auditCopies: z.number().int(),
  activity: z.number().int(),
  /** Rows already in the team database (moved before): left as they are. */
  skipped: z.number().int(),
});
export type MoveReport = z.infer<typeof MoveReport>;

export const teamChannels = {
  'team:status': { request: none, response: TeamStatus },
  /** The admin's desk creates the team on a database the office prepared (owner login with CREATEROLE). */
  'team:create': {
    request: z.strictObject({
      url: z
        .string()
        .trim()
        .max(2048)
        .regex(/^postgres(ql)?:\/\//, 'Enter the database address as postgres://user:password@host:port/database'),
      caPem: CaPem,
      teamName: text(120),
      adminName: text(120),
    }),
    response: TeamStatus,
  },
  'team:join': {
    request: z.strictObject({ joinText: text(16 * 1024), joinCode: text(80), caPem: CaPem }),
    response: TeamStatus,
  },
  'team:invite': {
    request: z.strictObject({
      name: text(120),
      email: z.email().max(254).nullable(),
      role: TeamRole,
      expiresInDays: z.number().int().min(1).max(14),
    }),
    response: z.object({ memberId: id, joinText: z.string(), joinCode: z.string(), expiresAt: z.string() }),
  },
  'team:members': { request: none, response: z.array(TeamMember) },
  'team:removeMember': {
    request: z.strictObject({ memberId: id }),
    response: z.object({ keyVersion: z.number().int(), accessTokensReplaced: z.number().int() }),
  },
  /** Back to this desk's own SQLite history (the team's data stays on the server). */
  'team:useLocal': { request: none, response: TeamStatus },
  /** Copies this desk's local history into the team database (idempotent) and says what it moved. */
  'team:moveHistory': { request: none, response: MoveReport },
} as const;

export const teamEvents = {
  /** The team database connection changed (online, offline with the reason and next try). */
  'team:connection': TeamConnection,
  /** Another desk changed these; screens showing them reload (`resync`: reload everything). */
  'team:changes': z.object({
    resync: z.boolean(),
    tables: z.array(z.string().max(64)).max(64),
    loanIds: z.array(id).max(500),
  }),
} as const;
