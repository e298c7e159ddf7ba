import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it("keeps the caller's plain id", () => {
    expect(requestIdFrom('e2e-req-42')).toBe('e2e-req-42');
    expect(requestIdFrom(' 0af7651916cd43dd8448eb211c80319c ')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(requestIdFrom('Root=1-5759e988-bd862e3fe1be46a994272793')).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
  });

  it('generates a UUID when there is none, or it could forge or flood log lines', () => {
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(requestIdFrom('')).toMatch(UUID);
    expect(requestIdFrom('a, b')).toMatch(UUID);
    expect(requestIdFrom('id\n{"level":"fatal"}')).toMatch(UUID);
    expect(requestIdFrom('x'.repeat(129))).toMatch(UUID);
    expect(requestIdFrom(['one', 'two'])).toMatch(UUID);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
