import type { RouteProps } from '../routes.tsx';

export const CommunityHome = (_props: RouteProps) => (
  <section>
    <h1>CommunityHome</h1>
  </section>
);
