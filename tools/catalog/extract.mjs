// Extracts the ids of ../shared/CATALOG.md, per section, into test/fixtures/catalog.json, which the
// registry test checks against (with the input and option names written out in src/contract.test.ts).
// Run by a developer when the catalog changes: `node tools/catalog/extract.mjs [path/to/CATALOG.md]`.
// CI and the tests only read the committed JSON (a clone has no ../shared).
import { readFileSync, writeFileSync } from 'node:fs';

const src = process.argv[2] ?? new URL('../../../shared/CATALOG.md', import.meta.url);
const text = readFileSync(src, 'utf8');
const sections = [];
let current = null;
for (const line of text.split('\n')) {
  const h = /^## (\d+)\. (.+?)(?: \(seed.*)?$/.exec(line);
  if (h) {
    current = { section: Number(h[1]), title: h[2].trim(), ids: [] };
    sections.push(current);
    continue;
  }
  if (!current || !line.startsWith('| `')) continue;
  const first = line.split(' | ')[0];
  for (const m of first.matchAll(/`([A-Za-z0-9]+)`/g)) current.ids.push(m[1]);
}
writeFileSync(
  new URL('../../test/fixtures/catalog.json', import.meta.url),
  JSON.stringify(
    { source: 'shared/CATALOG.md (extracted by tools/catalog/extract.mjs)', sections },
    null,
    1,
  ) + '\n',
);
