export {
  API_KEY_PREFIX,
  type ApiKeyEntry,
  apiKeyHash,
  generateApiKey,
  issueApiKeys,
  parseApiKeysFile,
} from './api-keys';
export {
  AuthenticationError,
  KeySetUnavailableError,
  MissingScopeError,
  TooManyAuthFailuresError,
} from './auth-errors';
export { AUTH_FAILURE_POLICY, type AuthFailurePolicy } from './auth-failure-policy';
export {
  type AuthConfig,
  authConfigFromEnv,
  authEnvSchema,
  type JwtConfig,
  type JwtKeySource,
  OPENABLE_ENDPOINTS,
  type OpenableEndpoint,
} from './auth.config';
export { AuthGuard, OPEN_ROUTE, REQUIRED_SCOPES } from './auth.guard';
export { AuthModule } from './auth.module';
export { AUTH_CONFIG } from './auth.module-definition';
export { Authenticator } from './authenticator';
export type { AuthenticatedRequest, Principal } from './principal';
export { ALL_SCOPES, isScope, SCOPES, type Scope } from './scopes';
