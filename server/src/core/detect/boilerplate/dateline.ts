/**
 * Whether a line is a date and nothing else (Wednesday, September 7, 2016; 12:03 GMT, Nov 20,
 * 2019; الخميس 23 فبراير 2023): a dateline, which the detector files under `byline` ("bylines
 * and datelines") when it flags the line for no cue of its own. Short lines outside the article
 * were called navigation, and a date is not a menu.
 */
import { ENGLISH_MONTHS, ENGLISH_WEEKDAYS } from '../../text/calendar';

const MONTHS = [
  ...ENGLISH_MONTHS,
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  // Arabic: the Egyptian and Gulf names, the Levantine and Iraqi ones, and the Maghreb's.
  'يناير', 'فبراير', 'مارس', 'أبريل', 'ابريل', 'إبريل', 'مايو', 'يونيو', 'يونيه', 'يوليو', 'يوليه', 'أغسطس', 'اغسطس', 'سبتمبر', 'أكتوبر', 'اكتوبر', 'نوفمبر', 'ديسمبر',
  'كانون', 'شباط', 'آذار', 'اذار', 'نيسان', 'أيار', 'ايار', 'حزيران', 'تموز', 'آب', 'اب', 'أيلول', 'ايلول', 'تشرين',
  'جانفي', 'فيفري', 'أفريل', 'افريل', 'ماي', 'جوان', 'جويلية', 'أوت', 'اوت',
  // Hijri.
  'محرم', 'صفر', 'ربيع', 'جمادى', 'رجب', 'شعبان', 'رمضان', 'شوال', 'القعدة', 'الحجة', 'ذو', 'ذي',
];

/** Words a date line may hold besides its months and numbers. */
const OTHER_WORDS = [
  ...ENGLISH_WEEKDAYS,
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'am', 'pm', 'a.m', 'p.m', 'at', 'on', 'of', 'the', 'st', 'nd', 'rd', 'th',
  'gmt', 'utc', 'est', 'edt', 'cst', 'cdt', 'mst', 'mdt', 'pst', 'pdt', 'bst', 'cet', 'cest', 'ist', 'et', 'pt',
  'الاثنين', 'الإثنين', 'الثلاثاء', 'الأربعاء', 'الاربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد', 'الاحد',
  'يوم', 'الساعة', 'الساعه', 'ص', 'م', 'صباحا', 'مساء', 'مساءً', 'صباحاً', 'بتوقيت', 'غرينتش', 'مكة', 'المكرمة',
  'الأول', 'الاول', 'الثاني', 'الآخر', 'الاخر', 'الآخرة', 'الاخرة', 'هـ', 'ه', 'الموافق', 'في',
];

const MONTH_SET = new Set(MONTHS);
const WORD_SET = new Set([...MONTHS, ...OTHER_WORDS]);

/** A number, an ordinal (7th, 1st) or a time (11:08, 15:24pm). */
const NUMBER_RE = /^\d{1,4}(?:st|nd|rd|th|am|pm)?$|^\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:am|pm)?$/;
/** A date written with numbers alone: 2016/09/07, 07-09-2016, 7.9.2016. */
const NUMERIC_DATE_RE = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/;

/** At most this many words: a date with its weekday, time and zone. */
const MAX_WORDS = 10;

/** Longer than this, a line holds more than a date. */
const MAX_LENGTH = 80;
const HAS_DIGIT_RE = /[0-9\u0660-\u0669\u06f0-\u06f9]/;

export function isDateline(text: string): boolean {
  // Most lines the detector flags are not dates: the cheap tests first.
  if (text.length > MAX_LENGTH || !HAS_DIGIT_RE.test(text)) return false;
  // Arabic-Indic and Extended Arabic-Indic digits read as ASCII ones; punctuation between the parts is dropped.
  const folded = text
    .toLowerCase()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u064b-\u0652\u0640]/g, '');
  const words = folded.split(/[\s,،|()[\]–—]+|(?<=\D)\.(?=\s|$)/u).filter(Boolean);
  if (!words.length || words.length > MAX_WORDS) return false;
  let month = false;
  let number = false;
  for (const raw of words) {
    const w = raw.replace(/^[-:]+|[-:.]+$/g, '');
    if (!w) continue;
    if (NUMERIC_DATE_RE.test(w)) {
      month = number = true;
      continue;
    }
    if (NUMBER_RE.test(w)) {
      number = true;
      continue;
    }
    if (!WORD_SET.has(w)) return false;
    if (MONTH_SET.has(w)) month = true;
  }
  return month && number;
}
