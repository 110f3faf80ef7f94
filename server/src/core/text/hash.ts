/**
 * A fast 53-bit string hash (cyrb53: two 32-bit lanes mixed with Math.imul),
 * for keys the corpus keeps by the hundred thousand: a folded line of a
 * scraped page is 60 characters, its hash one number. With 53 bits, a corpus
 * of ten million distinct lines has a chance of about 10⁻² of one collision,
 * which at worst miscounts one line's repetitions.
 */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
