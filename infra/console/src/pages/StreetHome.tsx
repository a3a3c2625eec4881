import type { RouteProps } from '../routes.tsx';

export const StreetHome = (_props: RouteProps) => (
  <section>
    <h1>StreetHome</h1>
  </section>
);
