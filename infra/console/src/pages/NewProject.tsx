import type { RouteProps } from '../routes.tsx';

export const NewProjectPage = (_props: RouteProps) => (
  <section>
    <h1>NewProject</h1>
  </section>
);
