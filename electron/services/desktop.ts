/**
 * What services need from the desktop, without importing Electron: the main process implements
 * these with dialog / clipboard / Notification; the web bridge and tests implement them in memory.
 */
export interface DesktopAdapters {
  /** Ask where to save a file; null when the officer cancels. */
  chooseSavePath(options: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
  /** Ask for an existing file to open; null when the officer cancels. */
  chooseFile(options: { title: string; extensions: string[] }): Promise<string | null>;
  /** Ask for a folder; null when the officer cancels. */
  chooseFolder(options: { title: string }): Promise<string | null>;
  /** Electron's clipboard write is asynchronous: callers await it so a failure is reported, not lost. */
  writeClipboard(text: string): Promise<void> | void;
  /**
   * An OS notification. `discreet` is what it says instead while a borrower holds the computer: no name, no loan,
   * no bank (see handoff-privacy.ts, which picks one; without it a generic line is shown).
   */
  notify(title: string, body: string, discreet?: Notice): void;
  /** Opens the OS file manager at a saved file (or folder), selected; absent where there is none (headless tests). */
  showInFolder?(path: string): void;
  /**
   * The operating system's own check that the officer is present (Touch ID on a Mac), where it has one:
   * another way, besides the PIN, to end an applicant's hand-off. Absent where there is none.
   */
  officerPresence?: {
    available(): boolean;
    /** True when the OS confirmed the officer; false when they cancelled or it failed. */
    confirm(reason: string): Promise<boolean>;
  };
}

/** What an OS notification says. */
export interface Notice {
  title: string;
  body: string;
}
