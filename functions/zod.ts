/**
 * The one place the product imports zod from; import it as `import * as z from '…/zod.ts'`.
 * `zod/mini` is zod's tree-shakable form (classic zod adds ~440 KB to every Lambda bundle),
 * and only a namespace import keeps it shakable: `import { z }` pulls in the whole library
 * and every locale. Mini loads no locale by default, so the English messages that name
 * each rule are switched on here, once.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
