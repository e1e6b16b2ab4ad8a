import { useEffect, useState, type FormEvent } from 'react';
import type { BackupStatus } from '../../../shared/ipc/contract';
import { api } from '../api';
import { useAppInfo } from '../shell/AppInfo';
import {
  Button,
  Chip,
  Dialog,
  ErrorAlert,
  ErrorState,
  Skeleton,
  TextField,
  formatDateTime,
  toAppError,
  useConfirm,
  useLoad,
  useToast,
} from '../ui';

/** What a new recovery key does to the earlier one, said before it is made (recovery keys wrap the history's key). */
const REPLACES_EARLIER_KEY =
  'The new key replaces your current recovery key. From then on the old key no longer opens the history on this computer or backups you make afterwards. Backups made before now still open only with the old key (or this computer’s keychain), so keep the old key with them.';

/** Said when the dialog was closed before the officer confirmed keeping the key it showed. */
const CLOSED_WITHOUT_CONFIRMING =
  'The new recovery key is in place and has replaced the earlier one, but you did not confirm keeping it. AssetDesk does not keep it: if you did not print or write it down, make a new one.';

/** Asks before a recovery key is made when one exists already: the new one replaces it. */
function useMakeRecoveryKey() {
  const confirm = useConfirm();
  return async (keyExists: boolean): Promise<string | null> => {
    if (
      keyExists &&
      !(await confirm({
        title: 'Make a new recovery key?',
        message: <p>{REPLACES_EARLIER_KEY}</p>,
        confirmLabel: 'Make a new key',
        danger: true,
      }))
    )
      return null;
    return (await api.recoveryNewKey({})).recoveryKey;
  };
}

/**
 * The recovery key, shown once, printable; the officer confirms having kept it. Closing (Escape or Close)
 * without confirming leaves the new key in place: `onClosed` tells the officer so.
 */
function RecoveryKeyDialog({
  recoveryKey,
  onSaved,
  onClosed,
}: {
  recoveryKey: string;
  onSaved(status: BackupStatus): void;
  onClosed(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirmSaved = async () => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.recoveryConfirmSaved({}));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Your AssetDesk recovery key"
      onClose={onClosed}
      testId="recovery-key-dialog"
      role="alertdialog"
      footer={
        <>
          <Button onClick={onClosed} data-testid="recovery-key-close">
            Close
          </Button>
          <Button onClick={() => window.print()}>Print</Button>
          <Button variant="primary" busy={busy} onClick={() => void confirmSaved()} data-testid="recovery-key-saved">
            I have printed or written it down
          </Button>
        </>
      }
    >
      <p>
        If this computer’s keychain is lost (a new computer, a reinstalled system), this key is the only way to open
        your saved loan files and backups. AssetDesk does not keep it: print it or write it down and store it like a
        safe key.
      </p>
      <p>
        This key is already in place: it replaces any earlier recovery key. Closing this window without writing it down
        leaves you with no usable recovery key until you make another one.
      </p>
      <p className="recovery-key" data-testid="recovery-key">
        {recoveryKey}
      </p>
      {error !== null && <ErrorAlert error={error} />}
    </Dialog>
  );
}

/** First run (and until confirmed): a banner asking the officer to make and keep a recovery key. */
export function RecoveryKeyPrompt() {
  const { info } = useAppInfo();
  const status = useLoad(() => api.backupStatus({}), [info?.keychain.state ?? null]);
  const makeKey = useMakeRecoveryKey();
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [closedUnconfirmed, setClosedUnconfirmed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const shouldAsk =
    info?.keychain.state === 'ok' && status.status === 'ready' && status.data && !status.data.recoveryKeySaved;
  if (done || !shouldAsk) return null;
  const keyExists = closedUnconfirmed || Boolean(status.data?.recoveryKeyMade);
  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      const key = await makeKey(keyExists);
      if (key) setRecoveryKey(key);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="banner" role="status" data-testid="recovery-key-banner">
      <div>
        {closedUnconfirmed ? (
          <span data-testid="recovery-key-unconfirmed">{CLOSED_WITHOUT_CONFIRMING}</span>
        ) : (
          <>
            <strong>Make and print your recovery key.</strong>
            <span>
              Without it, losing this computer’s keychain (a new computer, a reinstall) loses your saved history.
            </span>
          </>
        )}
        {error !== null && <ErrorAlert error={error} />}
      </div>
      <Button variant="primary" busy={busy} onClick={() => void show()} data-testid="show-recovery-key">
        {keyExists ? 'Make a new recovery key…' : 'Make my recovery key'}
      </Button>
      {recoveryKey && (
        <RecoveryKeyDialog
          recoveryKey={recoveryKey}
          onSaved={() => setDone(true)}
          onClosed={() => {
            setRecoveryKey(null);
            setClosedUnconfirmed(true);
          }}
        />
      )}
    </div>
  );
}

/** Where the recovery key stands, in the Settings section. */
function recoveryKeyStateText(status: BackupStatus): string {
  if (status.recoveryKeySaved)
    return 'A recovery key was made and kept. Making a new one replaces it: the old key then opens only backups made before.';
  if (status.recoveryKeyMade)
    return 'A recovery key was made but you did not confirm keeping it. If you did not print or write it down, make a new one (it replaces that key).';
  return 'No recovery key is kept yet: without one, losing this computer’s keychain loses the history.';
}

/** A recovery key typed in, then handed to `onSubmit`; what that refuses is shown under the field. */
function RecoveryKeyForm(props: {
  intro: string;
  label: string;
  submitLabel: string;
  testId: string;
  inputTestId: string;
  onSubmit(recoveryKey: string): Promise<void>;
  onCancel?(): void;
}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(code);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid={props.testId}>
      <p>{props.intro}</p>
      <TextField
        label={props.label}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
        autoComplete="off"
        spellCheck={false}
        data-testid={props.inputTestId}
      />
      {error !== null && <ErrorAlert error={error} />}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} disabled={code.trim().length < 32}>
          {props.submitLabel}
        </Button>
        {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}

/** When the history exists but its key is gone: open it with the recovery key. */
function RecoveryUnlockForm({ onOpened }: { onOpened(): void }) {
  return (
    <RecoveryKeyForm
      intro="Your saved history is on this computer, but its key is not in the keychain. Enter the recovery key you printed when AssetDesk was set up."
      label="Recovery key"
      submitLabel="Open my history"
      testId="recovery-unlock-form"
      inputTestId="recovery-key-input"
      onSubmit={async (recoveryKey) => {
        await api.recoveryUnlock({ recoveryKey });
        onOpened();
      }}
    />
  );
}

/**
 * A backup made under another key (another computer, before a keychain loss) opens with the recovery key
 * that was current when it was made; the officer then picks the backup file.
 */
function RestoreWithRecoveryKeyForm(props: { onRestore(recoveryKey: string): Promise<void>; onCancel(): void }) {
  return (
    <RecoveryKeyForm
      intro="This backup was made with another key (another computer, or before this computer’s keychain was lost). Enter the recovery key that was current when the backup was made, then choose the backup file again. The history it replaces is kept in the data folder, and its key stays in the keychain."
      label="Recovery key of the backup"
      submitLabel="Choose backup file…"
      testId="restore-recovery-form"
      inputTestId="restore-recovery-key-input"
      onSubmit={props.onRestore}
      onCancel={props.onCancel}
    />
  );
}

const BACKUP_NEEDS_ITS_KEY = new Set(['STORE_KEY_MISMATCH', 'DATA_KEY_MISSING']);

export function BackupSection() {
  const { reload: reloadAppInfo } = useAppInfo();
  const loaded = useLoad(() => api.backupStatus({}), []);
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [busy, setBusy] = useState<'backup' | 'restore' | 'retry' | 'reminder' | 'newKey' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [reminderDays, setReminderDays] = useState<string>('');
  const [askRecoveryKey, setAskRecoveryKey] = useState(false);
  const confirm = useConfirm();
  const makeKey = useMakeRecoveryKey();
  const toast = useToast();
  const current = status ?? loaded.data ?? null;

  const run = async (what: NonNullable<typeof busy>, work: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const backupNow = () =>
    run('backup', async () => {
      const result = await api.backupCreate({});
      if (!result.saved) return;
      toast.show({ message: `Backup saved: ${result.path}` });
      setStatus(await api.backupStatus({}));
    });

  /** Throws what the main side refused, so the caller shows it where the officer acted. */
  const restoreFile = async (recoveryKey?: string) => {
    const result = await api.backupRestore(recoveryKey ? { recoveryKey } : {});
    if (!result.restored) return;
    setAskRecoveryKey(false);
    toast.show({ message: `Restored ${result.loans} loan files and ${result.reports} reports.` });
    reloadAppInfo();
    setStatus(await api.backupStatus({}));
  };

  const restore = async () => {
    const yes = await confirm({
      title: 'Restore a backup?',
      message: (
        <p>
          AssetDesk replaces the current history with the backup file you choose. The current history is kept beside it
          in the data folder (…before-restore-…), not deleted.
        </p>
      ),
      confirmLabel: 'Choose backup file',
      danger: true,
    });
    if (!yes) return;
    await run('restore', async () => {
      try {
        await restoreFile();
      } catch (e) {
        // Made under another key: ask for that backup's recovery key instead of a dead end.
        if (BACKUP_NEEDS_ITS_KEY.has(toAppError(e).code)) setAskRecoveryKey(true);
        throw e;
      }
    });
  };

  const retryKeychain = () =>
    run('retry', async () => {
      const { keychain } = await api.keychainRetry({});
      reloadAppInfo();
      setStatus(await api.backupStatus({}));
      if (keychain.state === 'ok') toast.show({ message: 'Keychain unlocked: your history is open.' });
    });

  const saveReminder = (event: FormEvent) => {
    event.preventDefault();
    void run('reminder', async () => {
      setStatus(await api.backupSetReminder({ days: Number(reminderDays) }));
      setReminderDays('');
    });
  };

  if (loaded.status === 'error' && !current)
    return (
      <section className="panel" aria-labelledby="backup-heading">
        <h2 id="backup-heading">Backup and recovery</h2>
        <ErrorState error={loaded.error} onRetry={loaded.reload} title="Backup status could not be loaded" />
      </section>
    );
  if (!current)
    return (
      <section className="panel" aria-labelledby="backup-heading">
        <h2 id="backup-heading">Backup and recovery</h2>
        <Skeleton lines={3} label="Loading backup status" />
      </section>
    );

  return (
    <section className="panel" aria-labelledby="backup-heading" data-testid="backup-section">
      <h2 id="backup-heading">Backup and recovery</h2>
      {current.needsRecoveryKey ? (
        <RecoveryUnlockForm
          onOpened={() => {
            reloadAppInfo();
            void api.backupStatus({}).then(setStatus, setError);
            toast.show({ message: 'Your history is open again; its key is back in the keychain.' });
          }}
        />
      ) : (
        <>
          <p className="muted" data-testid="last-backup">
            {current.lastBackupAt
              ? `Last backup ${formatDateTime(current.lastBackupAt)} — ${current.lastBackupPath ?? ''}`
              : 'No backup made yet.'}{' '}
            {current.reminderDue && (
              <Chip tone="warning" testId="backup-due">
                Backup due
              </Chip>
            )}
          </p>
          <p className="muted">
            Backups are encrypted like the history itself; they open with this computer’s key or your recovery key.
          </p>
          <div className="form-actions">
            <Button
              variant="primary"
              busy={busy === 'backup'}
              onClick={() => void backupNow()}
              data-testid="backup-now"
            >
              Back up now…
            </Button>
            <Button busy={busy === 'restore'} onClick={() => void restore()} data-testid="restore-backup">
              Restore a backup…
            </Button>
            <Button onClick={() => setAskRecoveryKey(true)} data-testid="restore-other-key">
              Restore a backup from another computer…
            </Button>
            <Button busy={busy === 'retry'} onClick={() => void retryKeychain()} data-testid="keychain-retry">
              Try the keychain again
            </Button>
          </div>
          {askRecoveryKey && (
            <RestoreWithRecoveryKeyForm
              onRestore={async (recoveryKey) => {
                setError(null);
                await restoreFile(recoveryKey);
              }}
              onCancel={() => setAskRecoveryKey(false)}
            />
          )}
          <form className="backup-reminder" onSubmit={saveReminder}>
            <TextField
              label="Remind me when no backup was made for (days)"
              type="number"
              min={1}
              max={365}
              value={reminderDays}
              placeholder={String(current.reminderDays)}
              onChange={(e) => setReminderDays(e.target.value)}
              data-testid="backup-reminder-days"
            />
            <Button
              type="submit"
              busy={busy === 'reminder'}
              disabled={reminderDays === ''}
              aria-label="Save the backup reminder"
            >
              Save
            </Button>
          </form>
          <h3>Recovery key</h3>
          <p className="muted" data-testid="recovery-key-state">
            {recoveryKeyStateText(current)}
          </p>
          <Button
            busy={busy === 'newKey'}
            onClick={() =>
              void run('newKey', async () => {
                const key = await makeKey(current.recoveryKeyMade);
                if (key) setRecoveryKey(key);
              })
            }
            data-testid="new-recovery-key"
          >
            {current.recoveryKeyMade ? 'Make a new recovery key…' : 'Make a recovery key'}
          </Button>
        </>
      )}
      {error !== null && <ErrorAlert error={error} />}
      {recoveryKey && (
        <RecoveryKeyDialog
          recoveryKey={recoveryKey}
          onSaved={(next) => {
            setRecoveryKey(null);
            setStatus(next);
          }}
          onClosed={() => {
            setRecoveryKey(null);
            toast.show({ message: CLOSED_WITHOUT_CONFIRMING });
            void api.backupStatus({}).then(setStatus, setError);
          }}
        />
      )}
    </section>
  );
}

/** Tells the officer once when the log cannot be written (disk full …); the app keeps working. */
export function LogFailureNotice() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => api.on('log:writeFailed', (failure) => setMessage(failure.message)), []);
  if (!message) return null;
  return (
    <div className="banner" role="alert" data-testid="log-failure-banner">
      <div>
        <strong>{message}</strong>
        <Button onClick={() => setMessage(null)}>Dismiss</Button>
      </div>
    </div>
  );
}
