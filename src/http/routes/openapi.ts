import { Router } from 'express';
// temporary until the OpenAPI document lands
export function openapiRoutes(): Router {
  return Router();
}
