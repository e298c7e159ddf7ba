export { HealthModule } from './health/health.module';
export type { HealthOptions } from './health/health.module-definition';
