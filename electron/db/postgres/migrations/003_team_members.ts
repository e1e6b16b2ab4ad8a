import { createHash } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../../../../shared/errors';
import type { TeamRole } from '../../../../shared/team';
import { CHANGES_CHANNEL } from './001_team_schema';
import type { PostgresMigration } from './types';

const T = 'TEXT COLLATE "C"';

/** Tables only the team database has (the local store has no members); the schema-parity test skips them. */
export const TEAM_ONLY_TABLES = [
  'team',
  'team_group_roles',
  'team_invitations',
  'team_member_keys',
  'team_members',
  'team_secrets',
];

/** Columns only the team database has: who did what, stamped by the server from the signed-in member. */
export const TEAM_ONLY_COLUMNS: Record<string, readonly string[]> = {
  activity: ['actor', 'actor_member_id'],
  loans: ['created_by', 'updated_by'],
  applicants: ['created_by'],
  items: ['created_by'],
  reports: ['created_by'],
  audit_copies: ['created_by'],
};

/**
 * The columns a processor may never read: what lets someone call Plaid (access, report, audit-copy and Link
 * tokens, Hosted Link URLs) and the borrower's SSN. They are sealed anyway; denying them at the server means a
 * processor's login cannot even copy the ciphertext.
 */
export const SECRET_COLUMNS: Record<string, readonly string[]> = {
  items: ['access_token_enc'],
  reports: ['report_token_enc'],
  audit_copies: ['token_enc'],
  hosted_link_sessions: ['link_token_enc', 'url_enc'],
  applicants: ['ssn_enc'],
};

/** Loan work: officers read and write these; processors read them (minus SECRET_COLUMNS). */
const LOAN_TABLES = [
  'loans',
  'applicants',
  'items',
  'reports',
  'report_items',
  'report_content',
  'audit_copies',
  'sourced_deposits',
  'account_confirmations',
  'hosted_link_sessions',
];
/** Everybody reads these; only the owner (and the admin group for settings) writes them. */
const READ_ONLY_TABLES = ['settings', 'loan_env_summary', 'schema_migrations', 'store_meta'];

/**
 * Group roles are cluster-wide while tables are per database, so their names carry the database's name: several
 * teams (or a test run's many databases) can share one server. Names stay under PostgreSQL's 63-byte limit; a
 * long or unusual database name is cut and made unique with a hash.
 */
export function teamGroupRoleNames(database: string): Record<TeamRole, string> {
  let tag = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (tag !== database || tag.length > 30) {
    tag = `${tag.slice(0, 23)}_${createHash('sha256').update(database).digest('hex').slice(0, 6)}`;
  }
  return {
    admin: `assetdesk_${tag}_admin`,
    officer: `assetdesk_${tag}_officer`,
    processor: `assetdesk_${tag}_processor`,
  };
}

const id = (name: string) => pg.escapeIdentifier(name);

/** The owner login lacks CREATEROLE: the whole migration rolls back and the admin is told what to ask the DBA. */
function needsCreateRole(cause: unknown): AppError {
  return new AppError(
    {
      code: TEAM_DATABASE_SETUP,
      message:
        'The team database login cannot create the team’s member roles. Ask your database administrator to give it ' +
        'the right to (ALTER ROLE <login> CREATEROLE, as in the AssetDesk team set-up guide), then open AssetDesk again. ' +
        'Nothing was changed.',
      retryable: false,
    },
    { cause },
  );
}

export const TEAM_DATABASE_SETUP = 'TEAM_DATABASE_SETUP';

/** An ISO timestamp as the app writes them (`toISOString`), from the server's clock. */
const NOW_ISO = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function teamTables(): string {
  return `
  CREATE TABLE team (
    id ${T} PRIMARY KEY,
    name ${T} NOT NULL,
    created_at ${T} NOT NULL,
    -- The team data key version new values are sealed with (bumped when a member is removed).
    key_version INTEGER NOT NULL DEFAULT 1 CHECK (key_version >= 1)
  );
  -- One team per database.
  CREATE UNIQUE INDEX team_is_single ON team ((true));

  CREATE TABLE team_group_roles (
    role ${T} PRIMARY KEY CHECK (role IN ('admin', 'officer', 'processor')),
    db_role ${T} NOT NULL UNIQUE
  );

  CREATE TABLE team_members (
    id ${T} PRIMARY KEY,
    name ${T} NOT NULL,
    email ${T},
    role ${T} NOT NULL CHECK (role IN ('admin', 'officer', 'processor')),
    db_role ${T} NOT NULL UNIQUE,
    -- X25519 public key the admin wraps new team key versions for; set when the member joins.
    public_key BYTEA CHECK (public_key IS NULL OR length(public_key) = 32),
    added_at ${T} NOT NULL,
    added_by ${T},
    joined_at ${T},
    removed_at ${T}
  );

  CREATE TABLE team_member_keys (
    member_id ${T} NOT NULL REFERENCES team_members(id) ON DELETE CASCADE,
    key_version INTEGER NOT NULL CHECK (key_version >= 1),
    wrapped BYTEA NOT NULL,
    PRIMARY KEY (member_id, key_version)
  );

  -- The sealed record itself travels by e-mail (join text) and by phone (join code); the server only tracks it.
  CREATE TABLE team_invitations (
    id ${T} PRIMARY KEY,
    member_id ${T} NOT NULL REFERENCES team_members(id) ON DELETE CASCADE,
    created_at ${T} NOT NULL,
    expires_at ${T} NOT NULL,
    used_at ${T}
  );
  CREATE INDEX team_invitations_by_member ON team_invitations (member_id);

  ALTER TABLE activity ADD COLUMN actor ${T}, ADD COLUMN actor_member_id ${T};
  ALTER TABLE loans ADD COLUMN created_by ${T}, ADD COLUMN updated_by ${T};
  ALTER TABLE applicants ADD COLUMN created_by ${T};
  ALTER TABLE items ADD COLUMN created_by ${T};
  ALTER TABLE reports ADD COLUMN created_by ${T};
  ALTER TABLE audit_copies ADD COLUMN created_by ${T};
  `;
}

/**
 * Who did it, decided by the server: the member whose database login (`session_user`, which a member cannot
 * change) runs the statement. Whatever the app sends in these columns is overwritten. A login that is not a
 * member (the DBA) is named as such. SECURITY DEFINER so that processors need no grant on the member table's
 * internals; a fixed search_path so a member cannot plant look-alike tables ahead of ours.
 */
function stampFunctions(schema: string): string {
  const definer = `SECURITY DEFINER SET search_path = ${id(schema)}, pg_temp`;
  return `
  CREATE FUNCTION assetdesk_member_id() RETURNS text LANGUAGE sql STABLE ${definer} AS $$
    SELECT coalesce((SELECT id FROM team_members WHERE db_role = session_user), 'db:' || session_user)
  $$;

  CREATE FUNCTION activity_stamp_actor() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  DECLARE m team_members%ROWTYPE;
  BEGIN
    SELECT * INTO m FROM team_members WHERE db_role = session_user;
    IF FOUND THEN
      NEW.actor := m.name;
      NEW.actor_member_id := m.id;
    ELSE
      NEW.actor := 'database user ' || session_user;
      NEW.actor_member_id := NULL;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER activity_stamp_actor BEFORE INSERT ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_stamp_actor();

  CREATE FUNCTION assetdesk_stamp_created_by() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      NEW.created_by := assetdesk_member_id();
    ELSE
      NEW.created_by := OLD.created_by;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER applicants_stamp_created_by BEFORE INSERT OR UPDATE ON applicants
    FOR EACH ROW EXECUTE FUNCTION assetdesk_stamp_created_by();
  CREATE TRIGGER items_stamp_created_by BEFORE INSERT OR UPDATE ON items
    FOR EACH ROW EXECUTE FUNCTION assetdesk_stamp_created_by();
  CREATE TRIGGER reports_stamp_created_by BEFORE INSERT OR UPDATE ON reports
    FOR EACH ROW EXECUTE FUNCTION assetdesk_stamp_created_by();
  CREATE TRIGGER audit_copies_stamp_created_by BEFORE INSERT OR UPDATE ON audit_copies
    FOR EACH ROW EXECUTE FUNCTION assetdesk_stamp_created_by();

  -- A loan's editor changes only with the app's own edits (updated_at), not when activity touches last_activity_at.
  CREATE FUNCTION loans_stamp_members() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      NEW.created_by := assetdesk_member_id();
      NEW.updated_by := NEW.created_by;
    ELSE
      NEW.created_by := OLD.created_by;
      NEW.updated_by := CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at
        THEN assetdesk_member_id() ELSE OLD.updated_by END;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER loans_stamp_members BEFORE INSERT OR UPDATE ON loans
    FOR EACH ROW EXECUTE FUNCTION loans_stamp_members();

  -- Desks learn of a rotation (new key version to fetch) and of member changes the way they learn of loan changes.
  CREATE FUNCTION team_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('${CHANGES_CHANNEL}', json_build_object(
      'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'id', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text,
      'loan_id', NULL)::text);
    RETURN NULL;
  END $$;
  CREATE TRIGGER team_notify_change AFTER INSERT OR UPDATE ON team
    FOR EACH ROW EXECUTE FUNCTION team_notify_change();
  CREATE TRIGGER team_members_notify_change AFTER INSERT OR UPDATE ON team_members
    FOR EACH ROW EXECUTE FUNCTION team_notify_change();
  `;
}

/**
 * What a member's desk may do through the owner's rights, and nothing more:
 * - the pipeline summary is recomputed as the owner (SECURITY DEFINER): officers then need no write grant on
 *   `loan_env_summary`, so no desk can forge a loan's findings or counts; only officers and admins may call it;
 * - logging an activity moves the loan's `last_activity_at` as the owner, so a processor's export entry works
 *   without giving processors UPDATE on loans (trigger functions cannot be called directly);
 * - joining: the member's own row gets its public key and joined_at, the invitation is marked used and the
 *   login's VALID UNTIL (the invitation's expiry) is lifted. Only for the calling login, only once.
 */
function definerFunctions(schema: string, groups: Record<TeamRole, string>): string {
  const path = `SET search_path = ${id(schema)}, pg_temp`;
  return `
  ALTER FUNCTION assetdesk_refresh_loan_summary(text, text) SECURITY DEFINER ${path};
  REVOKE EXECUTE ON FUNCTION assetdesk_refresh_loan_summary(text, text) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION assetdesk_refresh_loan_summary(text, text) TO ${id(groups.admin)}, ${id(groups.officer)};
  ALTER FUNCTION activity_touches_loan() SECURITY DEFINER ${path};

  CREATE FUNCTION assetdesk_member_joined(p_public_key bytea)
  RETURNS TABLE (member_id text, team_id text, role text)
  LANGUAGE plpgsql SECURITY DEFINER ${path} AS $$
  DECLARE m team_members%ROWTYPE;
  BEGIN
    IF p_public_key IS NULL OR length(p_public_key) <> 32 THEN
      RAISE EXCEPTION 'a member public key is 32 bytes' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO m FROM team_members t WHERE t.db_role = session_user AND t.removed_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'this login is not a member of the team' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF m.joined_at IS NOT NULL THEN
      RAISE EXCEPTION 'this member has already joined' USING ERRCODE = 'unique_violation';
    END IF;
    UPDATE team_members t SET public_key = p_public_key, joined_at = ${NOW_ISO} WHERE t.id = m.id;
    UPDATE team_invitations i SET used_at = ${NOW_ISO} WHERE i.member_id = m.id AND i.used_at IS NULL;
    EXECUTE format('ALTER ROLE %I VALID UNTIL %L', session_user, 'infinity');
    RETURN QUERY SELECT m.id::text, (SELECT t.id FROM team t)::text, m.role::text;
  END $$;
  REVOKE EXECUTE ON FUNCTION assetdesk_member_joined(bytea) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION assetdesk_member_joined(bytea)
    TO ${id(groups.admin)}, ${id(groups.officer)}, ${id(groups.processor)};
  REVOKE EXECUTE ON FUNCTION assetdesk_member_id() FROM PUBLIC;
  `;
}

async function columnsOf(client: pg.ClientBase, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
  return rows.map((r) => r.column_name);
}

async function grants(client: pg.ClientBase, schema: string, groups: Record<TeamRole, string>): Promise<string> {
  const { admin, officer, processor } = groups;
  const members = `${id(admin)}, ${id(officer)}, ${id(processor)}`;
  const sql: string[] = [
    // Only the team's logins connect; CREATE on the schema stays with the owner (PostgreSQL ≤ 14 gave it to all).
    `REVOKE CONNECT, TEMPORARY ON DATABASE ${id(await currentDatabase(client))} FROM PUBLIC`,
    `GRANT CONNECT ON DATABASE ${id(await currentDatabase(client))} TO ${members}`,
    `REVOKE CREATE ON SCHEMA ${id(schema)} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${id(schema)} TO ${members}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${id(schema)} TO ${id(admin)}, ${id(officer)}`,
  ];
  for (const table of LOAN_TABLES) {
    sql.push(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${id(table)} TO ${id(admin)}, ${id(officer)}`);
    const secret = SECRET_COLUMNS[table] ?? [];
    if (secret.length === 0) {
      sql.push(`GRANT SELECT ON ${id(table)} TO ${id(processor)}`);
    } else {
      const readable = (await columnsOf(client, schema, table)).filter((c) => !secret.includes(c));
      sql.push(`GRANT SELECT (${readable.map(id).join(', ')}) ON ${id(table)} TO ${id(processor)}`);
    }
  }
  for (const table of READ_ONLY_TABLES) sql.push(`GRANT SELECT ON ${id(table)} TO ${members}`);
  // Settings are the team's (Plaid environment, policy): the admin's, not the officers'.
  sql.push(`GRANT INSERT, UPDATE, DELETE ON settings TO ${id(admin)}`);
  // The store checks the team key by inserting its check value if missing (ON CONFLICT DO NOTHING needs INSERT);
  // without UPDATE or DELETE nobody but the owner can change a value already there.
  sql.push(`GRANT INSERT ON store_meta TO ${members}`);
  // The activity log is append-only for everyone (its triggers refuse UPDATE, DELETE and TRUNCATE even to the owner).
  sql.push(`GRANT SELECT, INSERT ON activity TO ${members}`);
  sql.push(`GRANT SELECT ON team, team_members, team_group_roles TO ${members}`);
  sql.push(`GRANT SELECT ON team_member_keys TO ${members}`);
  sql.push(`GRANT SELECT ON team_invitations TO ${id(admin)}`);
  return sql.map((s) => `${s};`).join('\n');
}

/**
 * Row-level security: a member reads only their own wrapped team keys (a wrap is useless without the private
 * key, but there is no reason to hand out others'); invitations are visible to admins only. The owner
 * (the admin's desk) is exempt, as table owners are.
 */
function policies(groups: Record<TeamRole, string>): string {
  return `
  ALTER TABLE team_member_keys ENABLE ROW LEVEL SECURITY;
  CREATE POLICY team_member_keys_own ON team_member_keys FOR SELECT
    USING (member_id = (SELECT m.id FROM team_members m WHERE m.db_role = session_user));
  ALTER TABLE team_invitations ENABLE ROW LEVEL SECURITY;
  CREATE POLICY team_invitations_admins ON team_invitations FOR SELECT
    USING (pg_has_role(session_user, ${pg.escapeLiteral(groups.admin)}, 'MEMBER'));
  `;
}

async function currentDatabase(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
  return rows[0]!.name;
}

/**
 * Members, their database roles and what each role may do, enforced by PostgreSQL itself (the main process
 * checks the same rules first, so members get a clear message rather than "permission denied"). Runs as the
 * team's owner login, which needs CREATEROLE to create the three group roles (see electron/services/team/README.md).
 */
export const postgresMigration003: PostgresMigration = {
  version: 3,
  name: 'team members, database roles and grants',
  async up(client) {
    const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
    const schema = rows[0]!.schema;
    const groups = teamGroupRoleNames(await currentDatabase(client));
    for (const name of Object.values(groups)) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
      if (exists.rowCount === 0) {
        try {
          await client.query(`CREATE ROLE ${id(name)} NOLOGIN`);
        } catch (err) {
          if ((err as { code?: unknown }).code === '42501') throw needsCreateRole(err);
          throw err;
        }
      }
    }
    await client.query(teamTables());
    await client.query('INSERT INTO team_group_roles (role, db_role) VALUES ($1, $2), ($3, $4), ($5, $6)', [
      'admin',
      groups.admin,
      'officer',
      groups.officer,
      'processor',
      groups.processor,
    ]);
    await client.query(stampFunctions(schema));
    await client.query(definerFunctions(schema, groups));
    await client.query(await grants(client, schema, groups));
    await client.query(policies(groups));
  },
};
