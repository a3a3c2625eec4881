/**
 * Sign-in. In AWS: a button to the managed login (with TOTP, enrolled there at the first
 * sign-in). Locally: the demo district's accounts, one per unit and role, each a button.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../api.ts';
import type { ConsoleConfig } from '../config.ts';
import { useLoad } from '../data.ts';
import { LoadError, Loading } from '../form.tsx';
import { ROLE_LABELS } from '../format.ts';
import { type DemoAccount, signInLocal } from '../session.ts';

type PublicOrg = Schemas['GetPublicOrgResponse'];

/** Every demo account of a tree: district and auditor at the district, staff of each street and community. */
export const demoAccounts = (org: PublicOrg): DemoAccount[] => {
  const d = org.district;
  const out: DemoAccount[] = [
    { role: 'district', orgUnitId: d.id, name: '区民政局 演示账号', unit: d.name },
    { role: 'auditor', orgUnitId: d.id, name: '区审计 演示账号', unit: d.name },
  ];
  for (const s of org.streets) {
    out.push({ role: 'street', orgUnitId: s.id, name: `${s.name} 演示账号`, unit: s.name });
    for (const c of s.communities)
      out.push({ role: 'community', orgUnitId: c.id, name: `${c.name} 演示账号`, unit: `${s.name} · ${c.name}` });
  }
  return out;
};

const loadPublicOrg = async (config: ConsoleConfig): Promise<PublicOrg> => {
  const r = await fetch(`${config.apiBaseUrl}/v1/public/org`);
  if (!r.ok) throw new Error(`org: HTTP ${r.status}`);
  return r.json();
};

const LocalSignIn = ({ config }: { config: ConsoleConfig }) => {
  const org = useLoad(() => loadPublicOrg(config), []);
  const [busy, setBusy] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  if (org.state === 'loading') return <Loading />;
  if (org.state === 'error') return <LoadError error={org.error} />;
  const accounts = demoAccounts(org.value);
  const groups: [string, DemoAccount[]][] = [
    ['区级', accounts.filter((a) => a.role === 'district' || a.role === 'auditor')],
    ['街道', accounts.filter((a) => a.role === 'street')],
    ['社区', accounts.filter((a) => a.role === 'community')],
  ];
  return (
    <>
      <p>
        这是本机演示环境（{org.value.district.name}
        ），无需密码。请选择一个账号进入；正式部署时使用统一登录页和手机验证器（动态口令）。
      </p>
      {failed && (
        <p class="form-error" role="alert">
          登录失败，请确认本机服务正在运行后再试。
        </p>
      )}
      {groups.map(([title, list]) => (
        <section key={title} class="accounts">
          <h2>{title}</h2>
          <ul>
            {list.map((a) => (
              <li key={`${a.role}:${a.orgUnitId}`}>
                <button
                  type="button"
                  class="account"
                  disabled={busy !== undefined}
                  onClick={async () => {
                    setBusy(a.orgUnitId + a.role);
                    setFailed(false);
                    try {
                      await signInLocal(config, a);
                    } catch {
                      setFailed(true);
                      setBusy(undefined);
                    }
                  }}
                >
                  <span class="account-unit">{a.unit}</span>
                  <span class="account-role">{ROLE_LABELS[a.role]}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
};

const CognitoSignIn = ({ config }: { config: ConsoleConfig }) => {
  const [busy, setBusy] = useState(false);
  return (
    <>
      <p>
        使用单位分配的账号登录。登录需要密码和手机验证器（如腾讯身份验证器、Google Authenticator）上的 6 位动态口令。
      </p>
      <p>
        第一次登录时，登录页会显示一个二维码：用验证器扫描后输入 6
        位口令即可完成绑定，以后每次登录输入验证器上当时的口令。
      </p>
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const { startSignIn } = await import('../cognito.ts');
          await startSignIn(config.cognito!);
        }}
      >
        {busy ? '正在打开登录页…' : '登录'}
      </button>
    </>
  );
};

export const SignInPage = ({ config }: { config: ConsoleConfig }) => (
  <main id="main" class="signin">
    <h1>专项经费工作台 · 登录</h1>
    {config.mode === 'cognito' && config.cognito ? <CognitoSignIn config={config} /> : <LocalSignIn config={config} />}
  </main>
);
