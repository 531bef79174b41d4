/**
 * The task words of sentiment classification: the AFINN-165 lexicon (Nielsen 2011; 3,382 English
 * words rated −5 … +5 for valence by a person), which ships inside the `sentiment` package the
 * sentiment dataset already comes from — no new dependency. A token is a task word when AFINN
 * rates it; its negators ("not", "never", …) are not rated, and count as other words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir, packageLabel } from '../../src/data/packages.js';

export interface Lexicon {
  source: string;
  ratings: ReadonlyMap<string, number>;
}

export function afinn(): Lexicon {
  const file = join(packageDir('sentiment'), 'languages', 'en', 'labels.json');
  const ratings = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>));
  return { source: `AFINN-165 from ${packageLabel('sentiment')} (languages/en/labels.json, ${ratings.size} words)`, ratings };
}
