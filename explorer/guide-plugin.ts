/**
 * A Vite plugin serving `virtual:guide`: docs/guide/choosing-a-loss.md split at its `## ` headings and
 * rendered to HTML at build time, with links to the generated reference pages rewritten to the
 * explorer's entry pages. The guide's text is written once, in the guide.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';
import type { Plugin } from 'vite';

const ID = 'virtual:guide';
const RESOLVED = '\0virtual:guide';

export interface GuideSection {
  slug: string;
  title: string;
  html: string;
}

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ +/g, '-');
}

function rewrite(html: string): string {
  return html
    .replace(/href="\.\.\/generated\/([A-Za-z0-9]+)\.md"/g, 'href="#/loss/$1" data-loss-link="$1"')
    .replace(/href="#([a-z0-9-]+)"/g, 'href="#/guide/$1"')
    .replace(/href="(?!#|https?:)[^"]*"/g, 'href="#/guide"');
}

/** The guide as an introduction and one section per `## ` heading. */
export function loadGuide(file: string): { intro: string; sections: GuideSection[] } {
  const text = readFileSync(file, 'utf8');
  const parts = text.split(/^## /m);
  const intro = rewrite(marked.parse(parts[0].replace(/^# .*\n/, ''), { async: false }));
  const sections = parts.slice(1).map((part) => {
    const nl = part.indexOf('\n');
    const title = part.slice(0, nl).trim();
    return {
      slug: slugOf(title),
      title,
      html: rewrite(marked.parse(part.slice(nl + 1), { async: false })),
    };
  });
  return { intro, sections };
}

export function guidePlugin(root: string): Plugin {
  const file = resolve(root, 'docs/guide/choosing-a-loss.md');
  return {
    name: 'losskit-guide',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      this.addWatchFile(file);
      const guide = loadGuide(file);
      return `export const intro = ${JSON.stringify(guide.intro)};\nexport const sections = ${JSON.stringify(guide.sections)};\n`;
    },
  };
}
