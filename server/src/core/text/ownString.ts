/**
 * A copy of `s` that keeps no other string alive, for strings kept longer than the document
 * they come from: the names a document summary remembers for the corpus, the keys of the word
 * caches kept across documents.
 *
 * V8 gives a substring of 13 characters or more (a regular expression's match, a slice) as a
 * view into the string it was cut from, which then lives as long as the substring: summaries
 * took 53 KB a document on news pages instead of ~10 KB, and the English word caches held
 * about 12 MB of documents after 3,000 pages. Joining and cutting again makes a string of its
 * own (shorter ones are copied by V8 anyway).
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
