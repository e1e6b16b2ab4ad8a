import { customPersona } from './custom-user';
import { findPersona, type Persona } from './personas';

/**
 * Whose data an Item holds: its custom configuration (user_custom), else the persona its login named, else
 * Sandbox's user_good (an Item of a name the emulator no longer knows, or whose sealed configuration is unreadable).
 */
export function personaOfItem(item: { username: string; custom_user?: string | null } | null | undefined): Persona {
  if (item?.custom_user) return customPersona(item.custom_user);
  const persona = (item ? findPersona(item.username) : undefined) ?? findPersona('user_good');
  if (!persona) throw new Error('user_good persona missing');
  return persona;
}
