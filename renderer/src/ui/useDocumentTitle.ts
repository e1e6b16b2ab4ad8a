import { useEffect } from 'react';

/**
 * The window's title names the screen on show (a screen reader reads it as the screen changes, and it is what the
 * taskbar and the window switcher show): "Loan LN-1 · Ada Lovelace — AssetDesk".
 */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — AssetDesk`;
  }, [title]);
}
