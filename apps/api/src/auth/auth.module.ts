import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { apiConfig } from '../config/api.config';
import type { AuthConfig } from './auth.config';
import { AUTH_CONFIG } from './auth.guard';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { Authenticator } from './authenticator';

/** Credentials checking; AppModule installs the AuthGuard globally. */
@Module({
  providers: [
    {
      provide: AUTH_CONFIG,
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => config.auth,
    },
    { provide: Authenticator, inject: [AUTH_CONFIG], useFactory: (config: AuthConfig) => new Authenticator(config) },
    AuthFailureLimiter,
  ],
  exports: [AUTH_CONFIG, Authenticator, AuthFailureLimiter],
})
export class AuthModule {}
