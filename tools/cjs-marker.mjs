// Marks the CommonJS build (dist/cjs, or the directory given) as CommonJS for Node: the package is
// "type": "module", so without this marker Node would load the CommonJS files as ES modules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? 'dist/cjs');
mkdirSync(dir, { recursive: true });
writeFileSync(resolve(dir, 'package.json'), '{ "type": "commonjs" }\n');
