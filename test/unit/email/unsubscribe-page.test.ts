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

describe('the pages in the candidate language', () => {
  it.each([
    ['de-AT', 'de', 'Von den Zertifizierungserinnerungen abmelden?', 'Abmelden'],
    ['fr-CA', 'fr', 'Se désabonner des rappels de certification\u00a0?', 'Se désabonner'],
    ['es-MX', 'es', '¿Darse de baja de los recordatorios de certificación?', 'Darse de baja'],
    ['pt-PT', 'pt-BR', 'Cancelar a inscrição nos lembretes de certificação?', 'Cancelar inscrição'],
    ['ja-JP', 'ja', '認定資格のお知らせの配信を停止しますか？', '配信を停止する'],
    ['it-IT', 'en', 'Unsubscribe from certification reminders?', 'Unsubscribe'],
    [undefined, 'en', 'Unsubscribe from certification reminders?', 'Unsubscribe'],
  ])('asks a %j candidate in %s', (locale, language, title, button) => {
    // Act
    const html = renderUnsubscribeConfirmPage({ token: 't', locale });

    // Assess
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(`${title}</h1>`);
    expect(html).toContain(`>${button}</button>`);
  });

  it('confirms in the candidate language', () => {
    // Act
    const html = renderUnsubscribedPage({ locale: 'de' });

    // Assess
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Sie sind abgemeldet</h1>');
  });

  it('explains an invalid link in English when no language is known', () => {
    // Act
    const html = renderInvalidLinkPage();

    // Assess
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('This link is not valid</h1>');
  });
});
