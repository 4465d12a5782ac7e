import { decideAccess, presentedToken } from '../../src/security/access';
import { exposureRefusal, isLoopback } from '../../src/security/exposure';
import { hostAllowed } from '../../src/security/host-check';
import { TokenSet } from '../../src/security/tokens';

const ADMIN = 'admin-secret-0123456789';
const RUNNER = 'runner-secret-0123456789';
const tokens = TokenSet.parse(`# team tokens\nadmin ${ADMIN}\n\nrunner ${RUNNER}`, 'tokens.txt');

describe('TokenSet', () => {
  it('reads "scope token" entries split by newlines or ";", skipping blanks and comments', () => {
    expect(tokens.size).toBe(2);
    expect(tokens.scopeOf(ADMIN)).toBe('admin');
    expect(tokens.scopeOf(RUNNER)).toBe('runner');
    expect(tokens.scopeOf(`${RUNNER}x`)).toBeNull();
    expect(tokens.scopeOf('')).toBeNull();
    const env = TokenSet.parse(` runner ${RUNNER} ; admin ${ADMIN};`, 'LIGHTNING_STORE_TOKENS');
    expect([env.size, env.scopeOf(ADMIN)]).toEqual([2, 'admin']);
    expect(TokenSet.union([tokens, env]).size).toBe(4);
  });

  it('refuses bad entries by their number, never repeating the token', () => {
    expect(() => TokenSet.parse(`root ${ADMIN}`, 'f')).toThrow('f, entry 1: the scope must be one of runner, admin');
    expect(() => TokenSet.parse(`runner ${RUNNER}\nadmin short`, 'f')).toThrow('f, entry 2: a token must have at least 16 characters');
    expect(() => TokenSet.parse('admin', 'f')).toThrow('f, entry 1: an entry is a scope and one token');
    expect(() => TokenSet.parse(`admin ${ADMIN} extra`, 'f')).toThrow(/entry 1/);
    try {
      TokenSet.parse(`root ${ADMIN}`, 'f');
    } catch (err) {
      expect((err as Error).message).not.toContain(ADMIN);
    }
  });
});

describe('decideAccess', () => {
  it('lets everything through when authentication is off, and open calls always', () => {
    expect(decideAccess(null, 'admin', undefined)).toEqual({ kind: 'allowed' });
    expect(decideAccess(tokens, 'open', undefined)).toEqual({ kind: 'allowed' });
  });

  it('needs a known token, and the admin scope for admin calls', () => {
    expect(decideAccess(tokens, 'runner', undefined).kind).toBe('unauthenticated');
    expect(decideAccess(tokens, 'runner', 'Bearer nope-nope-nope-nope').kind).toBe('unauthenticated');
    expect(decideAccess(tokens, 'runner', RUNNER).kind).toBe('unauthenticated');
    expect(decideAccess(tokens, 'runner', `Bearer ${RUNNER}`).kind).toBe('allowed');
    expect(decideAccess(tokens, 'runner', `bearer ${ADMIN}`).kind).toBe('allowed');
    expect(decideAccess(tokens, 'admin', `Bearer ${RUNNER}`)).toEqual({ kind: 'forbidden', reason: 'this call needs a token of the admin scope' });
    expect(decideAccess(tokens, 'admin', `Bearer ${ADMIN}`).kind).toBe('allowed');
    expect(decideAccess(TokenSet.parse('', 'empty'), 'runner', `Bearer ${ADMIN}`).kind).toBe('unauthenticated');
  });

  it('takes the token as the password of Basic credentials (URL user:password@ clients)', () => {
    const basic = `Basic ${Buffer.from(`agl:${RUNNER}`).toString('base64')}`;
    expect(presentedToken(basic)).toBe(RUNNER);
    expect(decideAccess(tokens, 'runner', basic).kind).toBe('allowed');
    expect(presentedToken(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(presentedToken('Digest x')).toBeUndefined();
  });
});

describe('exposure', () => {
  it('knows loopback addresses and names', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', 'api.localhost', '::ffff:127.0.0.1']) expect([host, isLoopback(host)]).toEqual([host, true]);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1', '::2']) expect([host, isLoopback(host)]).toEqual([host, false]);
  });

  it('refuses a non-loopback address without tokens, naming the token options and the opt-out flag', () => {
    expect(exposureRefusal({ host: '127.0.0.1', tokenCount: 0, insecureNoAuth: false })).toBeNull();
    expect(exposureRefusal({ host: '0.0.0.0', tokenCount: 1, insecureNoAuth: false })).toBeNull();
    expect(exposureRefusal({ host: '0.0.0.0', tokenCount: 0, insecureNoAuth: true })).toBeNull();
    const refusal = exposureRefusal({ host: '0.0.0.0', tokenCount: 0, insecureNoAuth: false });
    expect(refusal).toMatch(/--token-file/);
    expect(refusal).toMatch(/LIGHTNING_STORE_TOKENS/);
    expect(refusal).toMatch(/--insecure-no-auth/);
  });
});

describe('hostAllowed', () => {
  it('answers loopback names, IP addresses, configured names and no Host at all; refuses other names', () => {
    for (const host of [undefined, 'localhost:4747', '127.0.0.1:4747', '[::1]:4747', '10.1.2.3', 'store.internal:4747', 'STORE.internal']) {
      expect([host, hostAllowed(host, ['store.internal'])]).toEqual([host, true]);
    }
    for (const host of ['evil.example:4747', 'store.internal.evil.example', 'localhost.evil.example']) {
      expect([host, hostAllowed(host, ['store.internal'])]).toEqual([host, false]);
    }
  });
});
