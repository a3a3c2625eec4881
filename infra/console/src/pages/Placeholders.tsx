/**
 * The district's and the auditor's homes until their own screens land (allocations, year
 * end, audit trail): a short guide to what they can already do here.
 */
import { href } from '../router.ts';

export const DistrictHome = () => (
  <section>
    <h1>区级工作台</h1>
    <p>
      可在 <a href={href('/projects')}>全部项目</a> 中查看全区项目及其档案。
    </p>
  </section>
);

export const AuditorHome = () => (
  <section>
    <h1>审计工作台</h1>
    <p>
      可在 <a href={href('/projects')}>全部项目</a> 中查看任一项目的全过程记录。
    </p>
  </section>
);
