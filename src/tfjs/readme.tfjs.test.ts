/**
 * The README's TensorFlow.js section stays true: its code runs as written (imports pointed at the
 * sources), the entries it lists as on-device are exactly the native ones among the registered
 * entries, and the imbalanced example's table is what `npm run example:imbalanced` prints.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { list } from '../registry.js';
import { nativeIds, tfPath } from './index.js';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
// The section runs from its heading to the next '## ' heading (or the end of the README).
const rest = readme.slice(readme.indexOf('\n## TensorFlow.js'));
const next = rest.indexOf('\n## ', 1);
const section = next < 0 ? rest : rest.slice(0, next);
const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('the README section on TensorFlow.js', () => {
  it('exists and has one code example', () => {
    expect(readme.indexOf('\n## TensorFlow.js')).toBeGreaterThan(0);
    expect(blocks.length).toBe(1);
  });

  it('runs its code example', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    const code = blocks[0]
      .replace('tfPath } from', 'tfPath, lastTfPath } from')
      .replace(/from 'losskit\/tfjs'/g, `from '${resolve(root, 'src/tfjs/index.ts')}'`)
      .replace(/from 'losskit'/g, `from '${resolve(root, 'src/index.ts')}'`);
    const dir = resolve(root, 'node_modules/.cache/readme-tfjs-test');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, 'block.ts');
    writeFileSync(
      file,
      `${code}\nexport const paths = [tfPath('sigmoidFocal').path, lastTfPath()];\nexport const compiled = model.optimizer !== undefined;\n`,
    );
    const mod = (await import(pathToFileURL(file).href)) as { paths: string[]; compiled: boolean };
    expect(mod.paths).toEqual(['native', 'bridge']);
    expect(mod.compiled).toBe(true);
  });

  it('lists every native entry of the regression and classification families', () => {
    const para = section.slice(
      section.indexOf('**On the device'),
      section.indexOf('**What the device'),
    );
    const named = new Set([...para.matchAll(/`([a-zA-Z0-9]+)`/g)].map((m) => m[1]));
    const registered = list().filter((m) => m.task === 'regression' || m.task === 'classification');
    for (const m of registered) {
      if (tfPath(m.id).path === 'native') expect(named.has(m.id), m.id).toBe(true);
    }
    for (const id of nativeIds()) expect(tfPath(id).path).toBe('native');
  });

  it("shows the imbalanced example's measured recall, precision and F1", () => {
    const out = execFileSync(
      resolve(root, 'node_modules/.bin/tsx'),
      ['--tsconfig', 'examples/tsconfig.json', 'examples/imbalanced.ts'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const printed = [...out.matchAll(/^(\S.*?)\s+(\d\.\d{3})\s+(\d\.\d{3})\s+(\d\.\d{3})$/gm)].map(
      (m) => [m[2], m[3], m[4]],
    );
    const table = [
      ...section.matchAll(/^\| `[a-zA-Z]+`[^|]*\| (\d\.\d{3}) \| (\d\.\d{3}) \| (\d\.\d{3}) \|$/gm),
    ].map((m) => [m[1], m[2], m[3]]);
    expect(printed.length).toBe(4);
    expect(table).toEqual(printed);
  }, 120_000);
});
