import { describe, expect, it } from 'vitest';
import { UNSUBSCRIBE_PAGE_HEADERS } from '../../../functions/handlers/unsubscribe';

describe('the page headers', () => {
  it('serve HTML that cannot run scripts, be framed, be cached or leak the token', () => {
    // Act
    const headers = UNSUBSCRIBE_PAGE_HEADERS;

    // Assess
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("form-action 'self'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-frame-options']).toBe('DENY');
  });
});
