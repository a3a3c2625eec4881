/**
 * The app shell: a header naming who is signed in (person, role, unit), the navigation
 * their role has, and the screen the hash route names.
 */
import { useEffect } from 'preact/hooks';
import { clearShared, loadOrg, unitName, useLoad } from './data.ts';
import { ROLE_LABELS } from './format.ts';
import { ROUTES, type RouteEntry } from './routes.tsx';
import { href, matchPath, useLocation } from './router.ts';
import type { Session } from './session.ts';

/** The entry and its parameters for a path under a role: the first match the role may open. */
export const resolveRoute = (
  path: string,
  role: string,
  routes: RouteEntry[] = ROUTES,
): { entry: RouteEntry; params: Record<string, string> } | undefined => {
  for (const entry of routes) {
    if (!entry.roles.includes(role as never)) continue;
    const params = matchPath(entry.path, path);
    if (params) return { entry, params };
  }
  return undefined;
};

export const Shell = ({ session, onSignOut }: { session: Session; onSignOut: () => void }) => {
  const { path, query } = useLocation();
  const { person } = session;
  const org = useLoad(loadOrg, [person.sub]);
  const unit = org.state === 'ok' ? unitName(org.value, person.orgUnitId) : person.orgUnitId;
  const hit = resolveRoute(path, person.role);
  const nav = ROUTES.filter((r) => r.nav && r.roles.includes(person.role));
  useEffect(() => {
    document.title = `${hit?.entry.title ?? '找不到页面'} · 专项经费工作台`;
    // Each screen starts at its top, as a new page would.
    scrollTo(0, 0);
  }, [path]);
  return (
    <div class="app">
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        跳到正文
      </button>
      <header class="topbar">
        <div class="brand">社区服务群众专项经费 · 工作台</div>
        <div class="who">
          <span class="who-name">{person.name}</span>
          <span class="who-role">{ROLE_LABELS[person.role] ?? person.role}</span>
          <span class="who-unit">{unit}</span>
          <button
            type="button"
            class="link"
            onClick={() => {
              clearShared();
              onSignOut();
            }}
          >
            退出登录
          </button>
        </div>
        <nav aria-label="主导航">
          <ul>
            {nav.map((r) => (
              <li key={r.path}>
                <a href={href(r.path)} aria-current={r.path === path ? 'page' : undefined}>
                  {r.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {hit ? (
          <hit.entry.component key={path} params={hit.params} query={query} />
        ) : (
          <section>
            <h1>找不到页面</h1>
            <p>
              此页面不存在，或您的岗位不能打开。<a href={href('/')}>回到首页</a>
            </p>
          </section>
        )}
      </main>
    </div>
  );
};
