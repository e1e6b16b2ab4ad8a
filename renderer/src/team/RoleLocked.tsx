import type { ReactNode } from 'react';
import type { ChannelName } from '../../../shared/ipc/channels';
import { useCan } from './TeamContext';
import './team.css';

/**
 * Controls the member's role may not use stay readable but disabled, under one line saying why and whom to ask
 * (a disabled fieldset disables every input and button inside it).
 */
export function RoleLocked({ channel, children }: { channel: ChannelName; children: ReactNode }) {
  const permission = useCan(channel);
  if (permission.allowed) return <>{children}</>;
  return (
    <div data-testid="role-locked">
      <p className="alert role-note" role="note" data-testid="role-note">
        {permission.reason}
      </p>
      <fieldset className="role-locked" disabled>
        {children}
      </fieldset>
    </div>
  );
}

/**
 * One line on a screen whose actions the member's role hides, saying which are missing (`what`), why, and whom
 * to ask: the main process's refusal with "this" named.
 */
export function RoleNote({ channel, what }: { channel: ChannelName; what: string }) {
  const permission = useCan(channel);
  if (permission.allowed || !permission.reason) return null;
  return (
    <p className="muted role-note" role="note" data-testid="role-note">
      {permission.reason.replace('does not allow this.', `does not allow ${what}.`)}
    </p>
  );
}
