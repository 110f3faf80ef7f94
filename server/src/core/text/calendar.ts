/**
 * English month and weekday names, lower case: the English tagger's "month or day" class
 * (entities/englishLexicon.ts) and the dateline test of the boilerplate detector
 * (boilerplate/dateline.ts) read the same lists.
 */
export const ENGLISH_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;
export const ENGLISH_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
