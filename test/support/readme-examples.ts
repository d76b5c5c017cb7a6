import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const GENERATED = join(ROOT, 'test/e2e/.readme');

/**
 * Writes the README's TypeScript block marked `<!-- example: name -->` to a module under
 * test/e2e/.readme (git-ignored) and returns its path, so a test can import it as written.
 */
export function readmeExample(name: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  if (!match) throw new Error(`README.md has no example named ${name}`);
  mkdirSync(GENERATED, { recursive: true });
  const path = join(GENERATED, `${name}.ts`);
  writeFileSync(path, match[1]);
  return path;
}

/** Non-blank lines of a README example. */
export function readmeExampleLines(name: string): number {
  return readFileSync(readmeExample(name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
}
