import { describe, expect, it } from 'vitest';
import { withPlaceholderLink } from '../../../../bin/console/email-preview';
import { html, toHtmlString, trusted } from '../../../../bin/console/html';

describe('html', () => {
  it('escapes every interpolation but nested templates', () => {
    // Act
    const markup = html`<p title="${'"x"'}">${'<script>'}${html`<b>${'&'}</b>`}${[1, '<i>']}${undefined}${false}</p>`;

    // Assess
    expect(toHtmlString(markup)).toBe(
      '<p title="&quot;x&quot;">&lt;script&gt;<b>&amp;</b>1&lt;i&gt;</p>',
    );
  });

  it('keeps trusted markup as it is', () => {
    // Act
    const markup = html`<p>${trusted('<br>')}</p>`;

    // Assess
    expect(toHtmlString(markup)).toBe('<p><br></p>');
  });
});

describe('withPlaceholderLink', () => {
  it('replaces the unsubscribe link, so no token is shown', () => {
    // Prepare
    const url = 'http://127.0.0.1:3000/unsubscribe?token=abc.def';
    const message = {
      from: 'r@example.com',
      to: ['a@example.com'],
      subject: 's',
      text: `Unsubscribe: ${url}`,
      html: `<a href="${url}">Unsubscribe</a>`,
      unsubscribeUrl: url,
    };

    // Act
    const preview = withPlaceholderLink(message, 'http://127.0.0.1:3000');

    // Assess
    expect(`${preview.text}${preview.html}${preview.unsubscribeUrl}`).not.toContain('abc.def');
    expect(preview.html).toContain('token=preview-placeholder');
  });
});
