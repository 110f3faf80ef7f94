/** Datelines: a flagged line that is a date and nothing else is filed under `byline`. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isDateline } from '../../server/src/core/detect/boilerplate/dateline';
import { detectBoilerplate } from '../../server/src/core/detect/boilerplate/index';

test('dates with their weekday, time and zone, in English and Arabic, are datelines', () => {
  for (const d of [
    'Wednesday, September 7, 2016',
    'Nov. 19, 2019, 8:41 AM UTC',
    '12:03 GMT, Nov 20, 2019',
    'November 19th, 2019 at 8:40 AM',
    '- Nov. 18th 2019 12:12 pm PT',
    '13.11.2019, 23:06',
    '3/09/15 8:00am',
    'الخميس 23 فبراير 2023',
    'الأربعاء، ٧ أيلول ٢٠١٦ - ١٠:٣٠ ص',
    '15 جويلية 2019',
    '12 رمضان 1440 هـ الموافق 17 مايو 2019',
  ]) assert.ok(isDateline(d), d);
});

test('a line with words besides the date, or without a month, is not a dateline', () => {
  for (const d of ['Transform Jul. 15-16', 'By Phil Helsel', '2019', '1', 'May the best team win 2019', 'Updated: Nov 20 2019', 'قال الوزير يوم الخميس 23 فبراير إن الاجتماع انتهى', 'الخميس', '']) {
    assert.ok(!isDateline(d), d);
  }
});

test('a date flagged between other blocks is a byline, not navigation', () => {
  // Written for this test.
  const text = [
    'Council closes the old bridge for two years',
    '',
    'The city council voted on Tuesday to close the old bridge to traffic for two years while engineers rebuild its foundations, a decision that angered commuters.',
    '',
    'Officials said a temporary ferry would carry pedestrians and cyclists across the river from next month, at no charge during the first year.',
    '',
    'Residents have until the end of the month to comment on the plans, which will be published on the council website next week.',
    '',
    'Share on Facebook',
    '',
    'Wednesday, September 7, 2016',
    '',
    '© 2016 City News. All rights reserved.',
  ].join('\n');
  const flagged = detectBoilerplate(text).map((b) => `${b.category} ${text.slice(b.start, b.end)}`);
  assert.deepEqual(flagged.slice(-3), ['share Share on Facebook', 'byline Wednesday, September 7, 2016', 'copyright © 2016 City News. All rights reserved.']);
});
