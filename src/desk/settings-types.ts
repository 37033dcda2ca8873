import { z } from 'zod';

/** Value types of `desk:` settings, shared by the features (DESIGN §10). */

/** `true`/`false`, also as the strings a `${VAR}` from the environment yields. */
export const flag = z.union([z.boolean(), z.stringbool()]);

