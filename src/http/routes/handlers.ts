import type { CoreRoutes } from '../../api/routes.js';
import type { Implementation } from '../../api/handler.js';

/** The handler of every route in `src/api/routes.ts`, by name; the compiler demands each one. */
export type CoreHandlers = Implementation<CoreRoutes>['handlers'];
