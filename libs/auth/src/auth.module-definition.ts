import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthConfig } from './auth.config';

export const { ConfigurableModuleClass: ConfigurableAuthModule, MODULE_OPTIONS_TOKEN: AUTH_CONFIG } =
  new ConfigurableModuleBuilder<AuthConfig>().setClassMethodName('forRoot').build();
