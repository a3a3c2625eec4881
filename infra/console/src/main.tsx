/** The console's entry: read config.json, restore or ask for a sign-in, then the shell. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { configureApi } from './api.ts';
import { type ConsoleConfig, loadConfig } from './config.ts';
import { LoadError, Loading } from './form.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { forgetLocalAccount, rememberedLocalAccount, session, setSession, signInLocal, useSession } from './session.ts';
import { Shell } from './shell.tsx';
import './console.css';

const App = () => {
  const [config, setConfig] = useState<ConsoleConfig | undefined>();
  const [error, setError] = useState<unknown>();
  const current = useSession();
  useEffect(() => {
    (async () => {
      const c = await loadConfig();
      configureApi({
        baseUrl: c.apiBaseUrl,
        token: () => session()?.token,
        unauthorized: () => setSession(undefined),
      });
      if (c.mode === 'cognito' && c.cognito) {
        const { completeSignIn } = await import('./cognito.ts');
        await completeSignIn(c.cognito);
      } else {
        const remembered = rememberedLocalAccount();
        if (remembered) await signInLocal(c, remembered).catch(() => forgetLocalAccount());
      }
      setConfig(c);
    })().catch(setError);
  }, []);
  if (error) return <LoadError error={error} />;
  if (!config) return <Loading />;
  if (!current) return <SignInPage config={config} />;
  const signOut = async () => {
    if (config.mode === 'cognito' && config.cognito) {
      const { signOutCognito } = await import('./cognito.ts');
      await signOutCognito(config.cognito);
    } else {
      forgetLocalAccount();
      setSession(undefined);
    }
    location.hash = '#/';
  };
  return <Shell session={current} onSignOut={signOut} />;
};

render(<App />, document.getElementById('app')!);
