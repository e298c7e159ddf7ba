import { Module } from '@nestjs/common';
import type { AuthConfig } from './auth.config';
import { AUTH_CONFIG, ConfigurableAuthModule } from './auth.module-definition';
import { Authenticator } from './authenticator';

/** Credentials checking for either app (`AuthModule.forRootAsync`); the app installs the AuthGuard globally. */
@Module({
  providers: [
    { provide: Authenticator, inject: [AUTH_CONFIG], useFactory: (config: AuthConfig) => new Authenticator(config) },
  ],
  exports: [AUTH_CONFIG, Authenticator],
})
export class AuthModule extends ConfigurableAuthModule {}
