/**
 * Entry-point detection for the executable modules (CLI, docs generator, demo): true only when the
 * module is the script Node was started with, so importing any of them (tests, other tools) runs
 * nothing. Symlinks are resolved because npm links `bin` entries.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isMainModule(moduleUrl: string): boolean {
  if (typeof process === 'undefined' || !Array.isArray(process.argv)) return false;
  const script = process.argv[1];
  if (typeof script !== 'string' || script === '') return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
