/**
 * The one place the product imports zod from. `zod/mini` is zod's tree-shakable form:
 * classic zod adds ~440 KB to every Lambda bundle. Mini loads no locale by default, so
 * the English messages that name each rule are switched on here, once.
 */
import { z } from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

export { z };
