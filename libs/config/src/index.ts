export { InvalidConfigError, parseEnv } from './parse-env';
export { booleanVar, enumVar, integerVar, portVar, stringVar } from './env-vars';
