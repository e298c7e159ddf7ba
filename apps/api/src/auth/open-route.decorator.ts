import { SetMetadata } from '@nestjs/common';
import { OPEN_ROUTE } from '@market/auth';

/** A route anyone may call, auth on or off: for static files that hold no data (the web console). */
export const OpenRoute = () => SetMetadata(OPEN_ROUTE, true);
