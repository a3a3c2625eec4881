/**
 * Sign-in in AWS: Cognito's managed login, authorization code with PKCE, through
 * oidc-client-ts (loaded only in this mode, so the local console never ships it). The
 * user — ID token and refresh token — is kept in memory; only the short-lived PKCE state
 * of a redirect in progress touches sessionStorage. Tokens are renewed with the refresh
 * token before they expire. MFA (TOTP) enrolment happens in the managed login.
 */
import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { CognitoSettings } from './config.ts';
import { type Person, type Role, setSession } from './session.ts';

let manager: UserManager | undefined;

const personOf = (user: User): Person => {
  const c = user.profile as Record<string, unknown>;
  const groups = Array.isArray(c['cognito:groups']) ? (c['cognito:groups'] as string[]) : [];
  return {
    sub: String(c.sub),
    role: (groups[0] ?? 'community') as Role,
    orgUnitId: String(c['custom:orgUnitId'] ?? ''),
    name: String(c.name ?? c.email ?? c['cognito:username'] ?? c.sub),
  };
};

const adopt = (user: User | null) => {
  // The API's authorizer reads the ID token: it carries the group and the unit.
  if (user && !user.expired && user.id_token) setSession({ token: user.id_token, person: personOf(user) });
  else setSession(undefined);
};

const managerOf = (s: CognitoSettings): UserManager => {
  if (manager) return manager;
  const redirect = s.redirectUri ?? new URL('./', document.baseURI).href;
  manager = new UserManager({
    authority: s.authority,
    client_id: s.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: 'openid email profile',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    automaticSilentRenew: true,
    // Cognito's discovery document names no end-session endpoint; its /logout is one.
    metadataSeed: { end_session_endpoint: `${s.domain.replace(/\/+$/, '')}/logout` },
    extraQueryParams: {},
  });
  manager.events.addUserLoaded(adopt);
  manager.events.addUserUnloaded(() => adopt(null));
  manager.events.addAccessTokenExpired(() => adopt(null));
  return manager;
};

/** Finishes a redirect back from the managed login, if this page load is one; true when signed in. */
export const completeSignIn = async (s: CognitoSettings): Promise<boolean> => {
  const m = managerOf(s);
  const params = new URLSearchParams(location.search);
  if (params.has('code') && params.has('state')) {
    const user = await m.signinRedirectCallback();
    // Drop ?code=…&state=… from the address bar so a reload does not replay them.
    history.replaceState(null, '', location.pathname + location.hash);
    adopt(user);
    return true;
  }
  return false;
};

/** Sends the browser to the managed login. */
export const startSignIn = (s: CognitoSettings): Promise<void> => managerOf(s).signinRedirect();

/** Signs out here and in the managed login. */
export const signOutCognito = async (s: CognitoSettings): Promise<void> => {
  const m = managerOf(s);
  await m.removeUser();
  setSession(undefined);
  await m.signoutRedirect({
    extraQueryParams: { client_id: s.clientId, logout_uri: m.settings.post_logout_redirect_uri ?? '' },
  });
};
