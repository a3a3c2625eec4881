import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, type OrgCommunity, type OrgStreet, type PublicOrg, type Policy } from './api.ts';
import { problemMessage } from './problems.ts';
import './board.css';

const STORE_KEY = 'board.communityId';

/** A query parameter of the page's URL. */
export const param = (name: string): string | null => new URLSearchParams(location.search).get(name);

/** The community the resident chose: `?c=` first, else the one remembered on this phone. */
export const chosenCommunityId = (): string | null => {
  const fromUrl = param('c');
  if (fromUrl) return fromUrl;
  try {
    return localStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
};

/** Remembers the community so the next visit opens on it. */
export const rememberCommunity = (id: string): void => {
  try {
    localStorage.setItem(STORE_KEY, id);
  } catch {
    // Private browsing may refuse storage; the URL still carries the choice.
  }
};

/** A link within the board that keeps the chosen community. */
export const href = (page: string, params: Record<string, string | number | undefined> = {}): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `/${page}.html${s ? `?${s}` : ''}`;
};

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string; error: unknown }
  | { state: 'ok'; value: T };

/** Runs `load` once (or when `deps` change) and tracks its outcome. */
export const useLoad = <T,>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> => {
  const [s, set] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    set({ state: 'loading' });
    load().then(
      (value) => live && set({ state: 'ok', value }),
      (error) => live && set({ state: 'error', message: problemMessage(error), error }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return s;
};

let orgPromise: Promise<PublicOrg> | undefined;
let policyPromise: Promise<Policy> | undefined;
/** The public org tree, fetched once per page. */
export const loadOrg = (): Promise<PublicOrg> => (orgPromise ??= getJson<PublicOrg>('/v1/public/org'));
/** The active policy, fetched once per page. */
export const loadPolicy = (): Promise<Policy> => (policyPromise ??= getJson<Policy>('/v1/public/policy'));

export interface Place {
  org: PublicOrg;
  street: OrgStreet;
  community: OrgCommunity;
}

/** Finds a community and its street in the tree. */
export const placeOf = (org: PublicOrg, communityId: string | null | undefined): Place | undefined => {
  for (const street of org.streets) {
    const community = street.communities.find((c) => c.id === communityId);
    if (community) return { org, street, community };
  }
  return undefined;
};

const SECTIONS: [string, string][] = [
  ['publicity', '正在公示'],
  ['need', '反映需求'],
  ['completed', '完成公示'],
  ['lists', '三个清单'],
  ['policy', '经费政策'],
];

/** The frame of every page: the board's name, where we are, the sections, and a main landmark. */
export const Layout = ({ title, place, children }: { title: string; place?: Place; children: ComponentChildren }) => {
  const c = place?.community.id;
  const here = location.pathname.replace(/^\//, '').replace(/\.html$/, '');
  useEffect(() => {
    document.title = `${title} · 社区公示栏`;
  }, [title]);
  return (
    <>
      <a class="skip" href="#main">
        跳到正文
      </a>
      <header class="top">
        <p class="brand">
          <a href={href('index', { c })}>社区服务群众专项经费 · 公示栏</a>
        </p>
        {place && (
          <p class="where">
            {place.street.name} · {place.community.name} <a href={href('index')}>切换社区</a>
          </p>
        )}
        <nav aria-label="栏目">
          <ul>
            {SECTIONS.map(([page, name]) => (
              <li>
                <a href={href(page, { c })} aria-current={page === here ? 'page' : undefined}>
                  {name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main">
        <h1>{title}</h1>
        {children}
      </main>
      <footer class="foot">
        <p>本页面仅显示公开信息，不显示任何人的联系方式。</p>
      </footer>
    </>
  );
};

/** A polite status line while data loads. */
export const Loading = () => (
  <p class="muted" role="status">
    正在加载……
  </p>
);

/** A failure the resident can act on. */
export const ErrorNote = ({ message }: { message: string }) => (
  <p class="error" role="alert">
    {message}
  </p>
);

/** Asks the resident to choose a community first. */
export const NeedCommunity = () => (
  <p>
    请先<a href={href('index')}>选择您所在的街道和社区</a>。
  </p>
);

/**
 * Loads the org tree and the chosen community, then renders `body` inside the layout.
 * Pages that are about one community use this.
 */
export const CommunityPage = ({ title, body }: { title: string; body: (p: Place) => ComponentChildren }) => {
  const id = chosenCommunityId();
  const org = useLoad(loadOrg);
  if (org.state === 'loading')
    return (
      <Layout title={title}>
        <Loading />
      </Layout>
    );
  if (org.state === 'error')
    return (
      <Layout title={title}>
        <ErrorNote message={org.message} />
      </Layout>
    );
  const place = placeOf(org.value, id);
  if (place) rememberCommunity(place.community.id);
  if (!place)
    return (
      <Layout title={title}>
        <NeedCommunity />
      </Layout>
    );
  return (
    <Layout title={title} place={place}>
      {body(place)}
    </Layout>
  );
};

/** Mounts a page component into `#app`. */
export const mount = (node: ComponentChildren): void => {
  render(node, document.getElementById('app')!);
};
