/**
 * What a label set looks like when the team has not written one: the
 * `newsAnnotator.labels` setting with built-in descriptions and colours for
 * the four standard labels, a fixed palette for the others, and the
 * detector's boilerplate categories. Also the `exclude` tag every schema has.
 */
import { EXCLUDE_TAG, type CategoryDefinition, type LabelDefinition, type LabelSchema, type TagDefinition, type ThemedColor } from '../../protocol';

/** The standard labels' colours: the same hues as the theme colours newsAnnotator.person/organisation/location/misc. */
export const STANDARD_LABELS: Record<string, { description: string; color: string }> = {
  PER: { description: 'Person: a named individual (politician, official, athlete, author).', color: '#e6194b' },
  ORG: { description: 'Organisation: a company, party, ministry, army, armed group, agency, newspaper, team.', color: '#4363d8' },
  LOC: { description: 'Location: a country, city, region, border area, river, mountain.', color: '#3cb44b' },
  MISC: { description: 'Other named entity: an event, a nationality, a work, a product, a law.', color: '#f58231' },
};

/** Colours given to the other labels, in order (distinct from the four above and from each other). */
export const PALETTE = ['#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#469990', '#9a6324', '#800000', '#808000', '#000075', '#fabed4', '#ffd8b1', '#aaffc3', '#dcbeff', '#a9a9a9'];

/** The detector's boilerplate categories, with what each means. */
export const DETECTOR_CATEGORIES: Record<string, string> = {
  user: 'Marked as boilerplate by a person (no more specific category).',
  share: 'Share buttons and lines ("Share on Facebook", "شارك").',
  follow: 'Invitations to follow the site on social networks.',
  related: 'Lists of related or recommended articles.',
  newsletter: 'Newsletter sign-up.',
  cookies: 'Cookie and privacy notices.',
  copyright: 'Copyright lines and legal footers.',
  'back-to-top': '"Back to top" links.',
  credit: 'Photo and video credits.',
  byline: 'Bylines and datelines that are not article text.',
  navigation: 'Menus, breadcrumbs, short link lines.',
  advertisement: 'Advertisements and sponsored content.',
  captcha: 'CAPTCHA questions of a comment form.',
  form: 'Form fields (name, e-mail, send).',
  'comment-form': 'The comment section and its form.',
  duplicate: 'A paragraph repeated within the document (often the lead).',
  repeated: 'A block found in many documents of the corpus (site footer, header).',
  'non-article': 'Other text that is not the article.',
};

const CATEGORY_COLOR = '#808080';

export function themed(color: string): ThemedColor {
  return { light: color, dark: color };
}

export const EXCLUDE_TAG_DEFINITION: TagDefinition = {
  name: EXCLUDE_TAG,
  description: 'Leave this document out of exports (unless they are asked to include excluded documents).',
  type: 'boolean',
  values: [],
};

/** A label's colour when the schema gives none: the standard one, else the next palette colour. */
export function defaultColor(name: string, paletteIndex: number): ThemedColor {
  return themed(STANDARD_LABELS[name]?.color ?? PALETTE[paletteIndex % PALETTE.length]);
}

/** The schema made from the labels setting: what is in force when there is no labels.json (or none usable). */
export function schemaFromSettings(labels: readonly string[]): LabelSchema {
  let palette = 0;
  const defs: LabelDefinition[] = labels.map((name) => {
    const standard = STANDARD_LABELS[name];
    return { name, ...(standard ? { description: standard.description } : {}), color: defaultColor(name, standard ? 0 : palette++) };
  });
  return { source: 'settings', labels: defs, boilerplate: defaultCategories(), tags: [EXCLUDE_TAG_DEFINITION] };
}

export function defaultCategories(): CategoryDefinition[] {
  return Object.entries(DETECTOR_CATEGORIES).map(([name, description]) => ({ name, description, color: themed(CATEGORY_COLOR) }));
}

/** Labels' family for editors that colour by a fixed set (semantic token modifiers): the root of its `parent` chain. */
export function rootLabel(schema: Pick<LabelSchema, 'labels'>, label: string): string {
  const byName = new Map(schema.labels.map((l) => [l.name, l]));
  let current = label;
  const seen = new Set<string>();
  for (;;) {
    const parent = byName.get(current)?.parent;
    if (!parent || seen.has(parent)) return current;
    seen.add(current);
    current = parent;
  }
}
