import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useEffectEvent,
  useId,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { Button } from './Button';

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'normal' | 'small';
  testId?: string;
  /** Role alertdialog for confirmations, so screen readers announce them as such. */
  role?: 'dialog' | 'alertdialog';
}

/**
 * A modal built on the native <dialog>: the browser traps focus, makes the rest inert and turns
 * Escape into a cancel, which we route to onClose.
 */
export function Dialog({ title, onClose, children, footer, size = 'normal', testId, role }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useEffectEvent(() => onClose());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previouslyFocused = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      // Give focus back to what opened the dialog (the browser does not when the node is removed). Opened by a
      // shortcut with nothing focused, or its opener gone, the focus goes to the screen rather than nowhere.
      if (previouslyFocused && previouslyFocused !== document.body && previouslyFocused.isConnected)
        previouslyFocused.focus();
      else document.getElementById('main')?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog${size === 'small' ? ' dialog-small' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
      </div>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  );
}

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
}

type ConfirmFn = (options: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<ConfirmFn | null>(null);

/** Destructive and consequential actions ask first; one provider serves every screen. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ options: ConfirmOptions; resolve(answer: boolean): void } | null>(null);
  const confirm = useCallback<ConfirmFn>(
    (options) => new Promise<boolean>((resolve) => setPending({ options, resolve })),
    [],
  );
  const answer = (value: boolean) => {
    pending?.resolve(value);
    setPending(null);
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {pending && (
        <Dialog
          title={pending.options.title}
          onClose={() => answer(false)}
          size="small"
          role="alertdialog"
          testId="confirm-dialog"
          footer={
            <>
              <Button onClick={() => answer(false)} autoFocus data-testid="confirm-cancel">
                {pending.options.cancelLabel ?? 'Cancel'}
              </Button>
              <Button
                variant={pending.options.danger ? 'danger' : 'primary'}
                onClick={() => answer(true)}
                data-testid="confirm-ok"
              >
                {pending.options.confirmLabel}
              </Button>
            </>
          }
        >
          <div>{pending.options.message}</div>
        </Dialog>
      )}
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): ConfirmFn {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm needs a ConfirmProvider');
  return confirm;
}
