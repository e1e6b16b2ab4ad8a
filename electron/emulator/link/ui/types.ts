/** What the Link UI exchanges with the emulator's /link/ui/_api/* and with link-initialize.js. */
export interface PlaidErrorLike {
  error_type: string;
  error_code: string;
  error_message: string;
  display_message?: string | null;
  request_id?: string | null;
}

export interface InstitutionRef {
  institution_id: string;
  name: string;
}

export interface InstitutionChoice extends InstitutionRef {
  oauth?: boolean;
  status?: 'HEALTHY' | 'DEGRADED' | 'DOWN';
}

export interface OAuthStatus {
  status: 'pending' | 'approved' | 'denied';
  link_session_id: string;
  institution: InstitutionRef;
}

export interface LinkSession {
  link_session_id: string;
  client_name: string;
  products: string[];
  update_mode: boolean;
  institution: InstitutionRef | null;
  hosted: boolean;
  link_token?: string;
  completion_redirect_uri: string | null;
  /** Set when Link was re-created at redirect_uri after an OAuth bank: the same session carries on. */
  oauth_resume?: OAuthStatus;
}

export interface LinkAccount {
  id: string;
  name: string;
  mask?: string | null;
  type: string;
  subtype?: string | null;
  verification_status?: string | null;
  class_type?: string | null;
}

export type CredentialsResult =
  | { status: 'mfa_required'; mfa_type?: string; prompt?: string }
  | { status: 'select_accounts'; accounts?: LinkAccount[] };

export interface CompleteResult {
  public_token: string;
  metadata?: {
    institution?: InstitutionRef | null;
    accounts?: LinkAccount[];
    link_session_id?: string;
    transfer_status?: string | null;
  };
}

export interface SuccessMetadata {
  institution: InstitutionRef | null;
  accounts: Required<{ [K in keyof LinkAccount]: Exclude<LinkAccount[K], undefined> }>[];
  link_session_id: string | null;
  transfer_status: string | null;
}

/** onEvent metadata: Plaid's keys, null when they do not apply. */
export type EventMetadata = Record<string, string | null>;

export type ViewName =
  | 'CONSENT'
  | 'SELECT_INSTITUTION'
  | 'CREDENTIAL'
  | 'MFA'
  | 'LOADING'
  | 'SELECT_ACCOUNT'
  | 'OAUTH'
  | 'ERROR'
  | 'CONNECTED'
  | 'EXIT';

/** Messages to the page that created Link (link-initialize.js). */
export type ParentMessage =
  | { type: 'ready'; link_session_id: string | null }
  | { type: 'event'; eventName: string; metadata: EventMetadata }
  | { type: 'success'; public_token: string; metadata: SuccessMetadata }
  | {
      type: 'exit';
      error: PlaidErrorLike | null;
      metadata: {
        institution: InstitutionRef | null;
        status: string | null;
        link_session_id: string | null;
        request_id: string | null;
      };
    };
