import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/api-responses.decorator';
import { REQUIRED_SCOPES, type Scope } from '@market/auth';

/** The OpenAPI names of the two ways to authenticate. */
export const BEARER_SECURITY = 'bearer';
export const API_KEY_SECURITY = 'api_key';

/**
 * The scopes a route needs, for the AuthGuard and in the OpenAPI document: either
 * credential kind is accepted, and 401/403 are documented as problem bodies.
 */
export function RequireScopes(...scopes: Scope[]) {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth(BEARER_SECURITY),
    ApiSecurity(API_KEY_SECURITY),
    ApiProblemResponses(401, 403),
  );
}
