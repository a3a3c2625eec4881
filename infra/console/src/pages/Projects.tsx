import type { RouteProps } from '../routes.tsx';

export const ProjectsPage = (_props: RouteProps) => (
  <section>
    <h1>Projects</h1>
  </section>
);
