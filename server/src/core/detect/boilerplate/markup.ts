/**
 * HTML left in the text by the scraper: tracking pixels (`<img width=1 height=1 src=…>`), ad
 * slots, iframes, a "JavaScript is off" notice still in its `<div>`s. Such a line is page
 * machinery whatever the classifier reads in it; a Japanese notice between two tags read as
 * article text and, its tags counted as words, outweighed the article on one page. An article
 * that mentions a tag (`the <folder> path`) keeps its line: the tags must be most of it.
 */
const TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?\/?>|<!--[^]*?-->|<![a-zA-Z][^<>]*>/g;
/** Share of the line's non-space characters inside tags from which two tags or more make it markup. */
const MARKUP_SHARE = 0.4;
/** A single tag is markup when it is nearly the whole line. */
const LONE_TAG_SHARE = 0.9;

/** Is the line mostly HTML tags? */
export function isMarkup(text: string): boolean {
  if (text.indexOf('<') < 0) return false;
  const tags = text.match(TAG);
  if (!tags) return false;
  let inTags = 0;
  for (const t of tags) inTags += nonSpace(t);
  const share = inTags / Math.max(1, nonSpace(text));
  return tags.length >= 2 ? share >= MARKUP_SHARE : share >= LONE_TAG_SHARE;
}

function nonSpace(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xa0) n++;
  }
  return n;
}
