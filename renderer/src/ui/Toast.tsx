import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface ToastInput {
  message: string;
  tone?: 'info' | 'error';
  /** Optional link (a report that just became ready) or button ("Show in folder" after a save). */
  action?: { label: string; href: string } | { label: string; onSelect: () => void };
}
interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  show(toast: ToastInput): void;
  clear(): void;
  /** Takes away the notices whose link leads to `href`: the officer got there another way. */
  dismissLinkingTo(href: string): void;
}
const ToastContext = createContext<ToastApi | null>(null);

const TOAST_LIFETIME_MS = 6000;
// A notice with something to do stays longer, so the officer has time to reach its button.
const ACTION_TOAST_LIFETIME_MS = 15000;

/** How long a notice stays on screen once nobody is on it. */
const lifetimeOf = (toast: ToastInput) => (toast.action ? ACTION_TOAST_LIFETIME_MS : TOAST_LIFETIME_MS);

/**
 * Short notices in a polite live region; they fade on their own and never steal focus. While the pointer or the
 * keyboard is on them they stay (a timer must not take a notice, and the focus with it, from under the officer);
 * they leave their usual time after.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  // The notices on screen, for the handlers that start their timers again.
  const shown = useRef<Toast[]>([]);
  useEffect(() => {
    shown.current = toasts;
  }, [toasts]);
  const hold = useRef({ pointer: false, focus: false });
  const held = () => hold.current.pointer || hold.current.focus;

  const dismiss = useCallback((id: number) => {
    setToasts((all) => all.filter((t) => t.id !== id));
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const schedule = useCallback(
    (toast: Toast) =>
      timers.current.set(
        toast.id,
        setTimeout(() => dismiss(toast.id), lifetimeOf(toast)),
      ),
    [dismiss],
  );
  const show = useCallback(
    (input: ToastInput) => {
      const toast = { ...input, id: nextId.current++ };
      setToasts((all) => [...all.slice(-3), toast]);
      if (!held()) schedule(toast);
    },
    [schedule],
  );
  const clear = useCallback(() => {
    for (const timer of timers.current.values()) clearTimeout(timer);
    timers.current.clear();
    setToasts([]);
  }, []);
  useEffect(() => clear, [clear]);

  const holdFor = (reason: 'pointer' | 'focus', on: boolean) => {
    const wasHeld = held();
    hold.current[reason] = on;
    if (held() && !wasHeld) {
      for (const timer of timers.current.values()) clearTimeout(timer);
      timers.current.clear();
    } else if (!held() && wasHeld) for (const toast of shown.current) schedule(toast);
  };
  // Dismissed from the keyboard, the notice's button goes with it: the focus goes to the screen, not the page.
  const dismissHere = (id: number, container: HTMLElement) => {
    const hadFocus = container.contains(document.activeElement);
    dismiss(id);
    if (hadFocus) {
      hold.current.focus = false;
      if (!held()) for (const toast of shown.current) if (toast.id !== id) schedule(toast);
      document.getElementById('main')?.focus();
    }
  };

  const dismissLinkingTo = useCallback(
    (href: string) => {
      for (const toast of shown.current)
        if (toast.action && 'href' in toast.action && toast.action.href === href) dismiss(toast.id);
    },
    [dismiss],
  );

  const stable = useMemo<ToastApi>(() => ({ show, clear, dismissLinkingTo }), [show, clear, dismissLinkingTo]);

  return (
    <ToastContext.Provider value={stable}>
      {children}
      <div
        className="toasts"
        role="status"
        aria-live="polite"
        data-testid="toasts"
        onMouseEnter={() => holdFor('pointer', true)}
        onMouseLeave={() => holdFor('pointer', false)}
        onFocus={() => holdFor('focus', true)}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) holdFor('focus', false);
        }}
      >
        {toasts.map((toast) => (
          <div key={toast.id} className="toast" data-tone={toast.tone ?? 'info'}>
            <span className="toast-text">
              {toast.message}{' '}
              {toast.action && 'href' in toast.action && (
                <a href={toast.action.href} onClick={() => dismiss(toast.id)}>
                  {toast.action.label}
                </a>
              )}
              {toast.action && 'onSelect' in toast.action && (
                <button
                  type="button"
                  className="toast-action"
                  onClick={(event) => {
                    if (toast.action && 'onSelect' in toast.action) toast.action.onSelect();
                    dismissHere(toast.id, event.currentTarget.closest('.toast') as HTMLElement);
                  }}
                >
                  {toast.action.label}
                </button>
              )}
            </span>
            <button
              type="button"
              aria-label="Dismiss notice"
              onClick={(event) => dismissHere(toast.id, event.currentTarget.closest('.toast') as HTMLElement)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const toast = useContext(ToastContext);
  if (!toast) throw new Error('useToast needs a ToastProvider');
  return toast;
}
