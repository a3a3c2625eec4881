import type { RouteProps } from '../routes.tsx';

export const NeedsPage = (_props: RouteProps) => (
  <section>
    <h1>Needs</h1>
  </section>
);
