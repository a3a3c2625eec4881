/**
 * The console's deployment settings, read from `config.json` beside it: locally
 * `{ "mode": "local", "apiBaseUrl": "" }` (sign-in through the local token issuer); in AWS
 * `{ "mode": "cognito", "apiBaseUrl": "https://…", "cognito": { … } }` (the managed login).
 */
export interface CognitoSettings {
  /** The user pool's issuer URL: https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  authority: string;
  clientId: string;
  /** The managed login's domain (https://<prefix>.auth.<region>.amazoncognito.com), for sign-out. */
  domain: string;
  /** Where Cognito sends the browser back; defaults to this page. */
  redirectUri?: string;
}

export interface ConsoleConfig {
  mode: 'local' | 'cognito';
  apiBaseUrl: string;
  cognito?: CognitoSettings;
}

let loaded: Promise<ConsoleConfig> | undefined;

/** The settings, fetched once; a missing file means local mode on this origin. */
export const loadConfig = (): Promise<ConsoleConfig> =>
  (loaded ??= fetch(new URL('config.json', document.baseURI).href)
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}))
    .then((c: Partial<ConsoleConfig>) => ({
      mode: c.mode === 'cognito' ? 'cognito' : 'local',
      apiBaseUrl: (c.apiBaseUrl ?? '').replace(/\/+$/, ''),
      cognito: c.cognito,
    })));
