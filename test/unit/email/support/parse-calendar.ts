import ICAL from 'ical.js';

/** One `VEVENT` of a parsed calendar, as `ical.js` reads it. */
export interface ParsedEvent {
  readonly uid: string;
  readonly summary: string;
  readonly description: string;
  /** `YYYY-MM-DD`, when the value is a DATE. */
  readonly start: string;
  readonly end: string;
  readonly startIsDate: boolean;
  readonly endIsDate: boolean;
  readonly summaryLanguage: string | undefined;
  readonly stamp: string;
}

export interface ParsedCalendar {
  readonly method: string;
  readonly productId: string;
  readonly version: string;
  readonly events: readonly ParsedEvent[];
}

const dateOf = (time: ICAL.Time): string =>
  `${String(time.year).padStart(4, '0')}-${String(time.month).padStart(2, '0')}-${String(time.day).padStart(2, '0')}`;

/**
 * Parses iCalendar text with `ical.js`, a real RFC 5545 parser, into what the tests check.
 *
 * @throws when `ical.js` cannot parse the text or it is not one `VCALENDAR`.
 */
export const parseCalendar = (text: string): ParsedCalendar => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== 'vcalendar') throw new Error(`not a VCALENDAR: ${calendar.name}`);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    productId: String(calendar.getFirstPropertyValue('prodid')),
    version: String(calendar.getFirstPropertyValue('version')),
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      const stamp = component.getFirstPropertyValue('dtstamp') as ICAL.Time;
      const language = component.getFirstProperty('summary')?.getParameter('language');
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        start: dateOf(event.startDate),
        end: dateOf(event.endDate),
        startIsDate: event.startDate.isDate,
        endIsDate: event.endDate.isDate,
        summaryLanguage: typeof language === 'string' ? language : undefined,
        stamp: stamp.toString(),
      };
    }),
  };
};
