import { loadConfig } from '../../src/config';
import { DEFAULT_LIMITS, LIMITS } from '../../src/server/limits';

describe('production mode from the environment', () => {
  it('turns the IDE and introspection off under NODE_ENV=production, and on elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ production: true, graphiql: false, introspection: false });
    expect(loadConfig({})).toMatchObject({ production: false, graphiql: true, introspection: true });
  });

  it('lets SCX_GRAPHIQL and SCX_INTROSPECTION turn them on (or off), and refuses anything but on and off', () => {
    expect(loadConfig({ NODE_ENV: 'production', SCX_GRAPHIQL: 'on', SCX_INTROSPECTION: 'ON' })).toMatchObject({ graphiql: true, introspection: true });
    expect(loadConfig({ SCX_GRAPHIQL: 'off' })).toMatchObject({ graphiql: false });
    expect(() => loadConfig({ SCX_INTROSPECTION: 'yes' })).toThrow('SCX_INTROSPECTION must be on or off, got "yes"');
  });

  it('listens on localhost unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('localhost');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

describe('limits from the environment', () => {
  it('takes each SCX_MAX_… variable, and the default without it', () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    expect(loadConfig({ SCX_MAX_DEPTH: '12', SCX_MAX_COST: '5000' }).limits).toEqual({ ...DEFAULT_LIMITS, maxDepth: 12, maxCost: 5000 });
  });

  it('refuses a value that is not a whole number at or above the minimum', () => {
    expect(() => loadConfig({ SCX_MAX_DEPTH: '1' })).toThrow(`SCX_MAX_DEPTH must be a whole number of at least ${LIMITS.maxDepth.min}, got "1"`);
    expect(() => loadConfig({ SCX_MAX_BODY_BYTES: '1e6x' })).toThrow('SCX_MAX_BODY_BYTES must be');
  });
});
