/**
 * A copy of `s` that keeps no other string alive, for keys of caches kept across documents.
 *
 * V8 gives a substring of 13 characters or more (a regular expression's match, a slice) as a
 * view into the string it was cut from: a token text kept as a cache key would keep its whole
 * document in memory as long as the entry lives. The English word caches held about 12 MB of
 * documents that way after 3,000 pages. Joining and cutting again makes a string of its own
 * (shorter ones are copied by V8 anyway).
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
