import { UNMATCHED_ROUTE, routeTemplate } from './route-template';

describe('routeTemplate', () => {
  it('is the matched route template, mount path included, never the raw path', () => {
    expect(routeTemplate({ baseUrl: '', route: { path: '/api/v1/data/:asset_id' } })).toBe('/api/v1/data/:asset_id');
    expect(routeTemplate({ baseUrl: '/admin', route: { path: '/users/:id' } })).toBe('/admin/users/:id');
    expect(routeTemplate({ route: { path: '/' } })).toBe('/');
  });

  it('is "unmatched" when no route matched', () => {
    expect(routeTemplate({})).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ route: undefined })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ route: { path: /regexp/ } })).toBe(UNMATCHED_ROUTE);
  });

  it('is "unmatched" for Nest\'s catch-all under the global prefix', () => {
    expect(routeTemplate({ baseUrl: '/api/v1', route: { path: '*path' } })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ baseUrl: '', route: { path: '/{*splat}' } })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ baseUrl: '', route: { path: '/files/*path' } })).toBe('/files/*path');
  });
});
