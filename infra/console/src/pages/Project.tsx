import type { RouteProps } from '../routes.tsx';

export const ProjectPage = (_props: RouteProps) => (
  <section>
    <h1>Project</h1>
  </section>
);
