import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import type { PlaidEnvironment } from '../../../shared/domain';
import { api } from '../api';
import { useTeamChanges } from '../team/useTeamChanges';

export type AppInfo = ResponseOf<'app:info'>;

interface AppInfoValue {
  info: AppInfo | null;
  error: unknown;
  reload(): void;
  /** Settings tells the shell right away when the officer switches environment. */
  setEnvironment(environment: PlaidEnvironment): void;
  /** Bumped when report progress arrives, so lists re-fetch without polling. */
  dataVersion: number;
  bumpDataVersion(): void;
}

const AppInfoContext = createContext<AppInfoValue | null>(null);

export function AppInfoProvider({ children }: { children: ReactNode }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dataVersion, setDataVersion] = useState(0);
  useEffect(() => {
    api.appInfo({}).then(setInfo, setError);
  }, []);
  const load = useCallback(() => {
    setError(null);
    api.appInfo({}).then(setInfo, setError);
  }, []);
  const setEnvironment = useCallback(
    (environment: PlaidEnvironment) => setInfo((current) => (current ? { ...current, environment } : current)),
    [],
  );
  const bumpDataVersion = useCallback(() => setDataVersion((v) => v + 1), []);
  // On a team the environment is the team's: when the admin switches it at their desk, this shell shows it too.
  useTeamChanges(load, { concerns: (changes) => changes.tables.includes('settings') });
  return (
    <AppInfoContext.Provider value={{ info, error, reload: load, setEnvironment, dataVersion, bumpDataVersion }}>
      {children}
    </AppInfoContext.Provider>
  );
}

export function useAppInfo(): AppInfoValue {
  const value = useContext(AppInfoContext);
  if (!value) throw new Error('useAppInfo needs an AppInfoProvider');
  return value;
}
