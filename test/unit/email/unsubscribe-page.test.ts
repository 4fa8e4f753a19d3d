import { describe, expect, it } from 'vitest';
import {
  renderInvalidLinkPage,
  renderUnsubscribeConfirmPage,
  renderUnsubscribedPage,
} from '../../../functions/email/unsubscribe-page';

describe('the confirmation page', () => {
  it('asks for confirmation with a form that posts the token back to the same URL', () => {
    // Act
    const html = renderUnsubscribeConfirmPage({ token: 'v1.Y2FuZC0x.c2ln' });

    // Assess
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<form method="post" action="?token=v1.Y2FuZC0x.c2ln"');
    expect(html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(html).toContain('<button type="submit"');
    expect(html).toContain('Unsubscribe from certification reminders?</h1>');
  });

  it('encodes and escapes a hostile token so it can neither break out nor add fields', () => {
    // Act
    const html = renderUnsubscribeConfirmPage({ token: '"><script>alert(1)</script>&a=b' });

    // Assess
    expect(html).not.toContain('<script');
    expect(html).toContain('action="?token=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%26a%3Db"');
  });

  it('escapes the programme name', () => {
    // Act
    const html = renderUnsubscribeConfirmPage({
      token: 't',
      programmeName: '<img src=x onerror=alert(1)> & Co',
    });

    // Assess
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Co');
  });

  it('runs no script and keeps out of search engines and referrers', () => {
    // Act
    const html = renderUnsubscribeConfirmPage({ token: 't' });

    // Assess
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });
});

describe('the result pages', () => {
  it('confirms the unsubscription under the programme name', () => {
    // Act
    const html = renderUnsubscribedPage({ programmeName: 'Cloud Skills Certification' });

    // Assess
    expect(html).toContain('You are unsubscribed</h1>');
    expect(html).toContain('Cloud Skills Certification');
    expect(html).not.toContain('<form');
  });

  it('says an invalid link changed nothing, and names no candidate', () => {
    // Act
    const html = renderInvalidLinkPage();

    // Assess
    expect(html).toContain('This link is not valid</h1>');
    expect(html).toContain('your settings were not changed');
    expect(html).toContain('Certification Reminders');
    expect(html).not.toContain('<form');
  });
});
