// API access that the API, its scripts and benchmarks share: the scopes it grants and its
// API keys (issue, hash, read the keys file). Pure functions: no Nest, no HTTP.
export { ALL_SCOPES, SCOPES, type Scope, isScope } from './scopes';
export {
  API_KEY_PREFIX,
  type ApiKeyEntry,
  apiKeyHash,
  generateApiKey,
  issueApiKeys,
  parseApiKeysFile,
} from './api-keys';
