import { describe, expect, it } from 'vitest';
import { escapeHtml, singleLine } from '../../../functions/email/escape';

describe('singleLine', () => {
  it('flattens control characters and Unicode line separators', () => {
    // Act
    const flat = singleLine('\u0000Ana\r\n\tSilva\u2028Bcc:\u0085x\u007f ');

    // Assess
    expect(flat).toBe('Ana Silva Bcc: x');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    // Act
    const escaped = escapeHtml(`<a href="x" title='y'>&</a>`);

    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
