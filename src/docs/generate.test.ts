/**
 * The docs generator, in memory only (no file is written). Entries come from `list()`, so the checks
 * hold for every entry registered now or later.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDomain } from '../core/options.js';
import { list } from '../registry.js';
import { formatDefault } from './format.js';
import { compatRow, KNOWN, LIBRARIES } from './compat.js';
import {
  COMPAT_FILE,
  GENERATED_HEADER,
  generateDocs,
  INDEX_FILE,
  planSync,
  renderIndex,
  renderPage,
} from './generate.js';

/** A markdown table cell as the generator writes it. */
const cellText = (s: string): string => s.replace(/\|/g, '\\|');

describe('the docs generator', () => {
  it("writes an entry's formula in a $$ block and each option's default and domain", () => {
    const meta =
      list().find((m) => Object.keys(m.options).some((k) => k !== 'reduction')) ?? list()[0];
    const page = renderPage(meta);
    expect(page).toContain(`$$\n${meta.formula}\n$$`);
    for (const [name, spec] of Object.entries(meta.options)) {
      const row = page.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, `options row of '${name}'`).toBeDefined();
      expect(row).toContain(`\`${cellText(formatDefault(spec))}\``);
      expect(row).toContain(cellText(describeDomain(spec)));
    }
  });

  it('gives every entry a page with its formula, inputs, references and runnable example code', () => {
    for (const meta of list()) {
      const page = renderPage(meta);
      expect(page.split('\n')[0]).toBe(GENERATED_HEADER);
      expect(page).toContain(`# \`${meta.id}\`: ${meta.title}`);
      expect(page).toContain(`$$\n${meta.formula}\n$$`);
      for (const s of meta.inputs) expect(page).toContain(`| \`${s.name}\` |`);
      for (const r of meta.references) expect(page).toContain(r.title);
      expect(page).toContain(`import { evaluate, ${meta.id} } from 'losskit';`);
      expect(page).toContain(`evaluate('${meta.id}', inputs,`);
      expect(page).not.toContain('value ≈ throws');
    }
  });

  it('indexes every entry with a link to its page, in registry order', () => {
    const index = renderIndex(list());
    expect(index.split('\n')[0]).toBe(GENERATED_HEADER);
    let last = -1;
    for (const m of list()) {
      const at = index.indexOf(`[\`${m.id}\`](${m.id}.md)`);
      expect(at, m.id).toBeGreaterThan(last);
      last = at;
    }
  });

  it('is deterministic: two runs give identical files, each starting with the header', () => {
    const a = generateDocs();
    const b = generateDocs();
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.keys()]).toEqual([INDEX_FILE, COMPAT_FILE, ...list().map((m) => `${m.id}.md`)]);
    for (const content of a.values()) {
      expect(content.startsWith(`${GENERATED_HEADER}\n`)).toBe(true);
      expect(content.endsWith('\n')).toBe(true);
      expect(content).not.toMatch(/[ \t]+$/m);
    }
  });

  it('deletes pages of entries that no longer exist, rewrites changed files and spares foreign ones', () => {
    const generated = new Map([
      [INDEX_FILE, `${GENERATED_HEADER}\nindex\n`],
      ['mse.md', `${GENERATED_HEADER}\nmse\n`],
    ]);
    const plan = planSync(
      [
        { name: INDEX_FILE, content: `${GENERATED_HEADER}\nold index\n` },
        { name: 'mse.md', content: `${GENERATED_HEADER}\nmse\n` },
        { name: 'removedLoss.md', content: `${GENERATED_HEADER}\nstale\n` },
        { name: 'notes.md', content: '# Hand-written notes\n' },
      ],
      generated,
    );
    expect(plan).toEqual({
      write: [INDEX_FILE],
      remove: ['removedLoss.md'],
      foreign: ['notes.md'],
    });
  });
});

const catalogIds = (
  JSON.parse(
    readFileSync(new URL('../../test/fixtures/catalog.json', import.meta.url), 'utf8'),
  ) as { sections: { ids: string[] }[] }
).sections.flatMap((x) => x.ids);

describe('the compatibility table', () => {
  const compat = generateDocs().get(COMPAT_FILE)!;
  const rows = compat.split('\n').filter((l) => l.startsWith('| ') && l.includes('.md)'));

  it('has one row per registered entry, in registry order, linking its page', () => {
    expect(rows.map((r) => /\[`([^`]+)`\]/.exec(r)?.[1])).toEqual(list().map((m) => m.id));
  });

  it("shows every implementation an entry's metadata matches, as a ✓ cell", () => {
    for (const [i, meta] of list().entries()) {
      for (const r of meta.references) {
        if (r.implementation === undefined) continue;
        expect(rows[i], meta.id).toContain(
          `✓ \`${cellText(r.implementation.replace(/`/g, "'"))}\``,
        );
      }
    }
  });

  it('puts a torch.nn.functional implementation in the PyTorch column and a keras one in Keras', () => {
    const torch = list().find((m) =>
      m.references.some((r) => r.implementation?.startsWith('torch.nn.functional.')),
    );
    const keras = list().find((m) =>
      m.references.some((r) => r.implementation?.startsWith('keras.')),
    );
    expect(torch).toBeDefined();
    expect(keras).toBeDefined();
    expect(compatRow(torch!).cells.get('torch')?.startsWith('✓')).toBe(true);
    expect(compatRow(keras!).cells.get('keras')?.startsWith('✓')).toBe(true);
  });

  it('curates counterparts only for catalog ids and known library columns', () => {
    const keys = new Set<string>(LIBRARIES.map((l) => l.key));
    for (const [id, known] of KNOWN) {
      expect(catalogIds, id).toContain(id);
      for (const k of Object.keys(known)) expect(keys.has(k), `${id}.${k}`).toBe(true);
    }
  });

  it("gives each entry page an 'In other libraries' section and a signature", () => {
    for (const meta of list()) {
      const page = renderPage(meta);
      expect(page).toContain('## In other libraries');
      expect(page).toContain(`\`\`\`ts\n${meta.id}(`);
    }
  });
});
