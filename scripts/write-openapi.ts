/**
 * Writes the published API: `docs/openapi.json` (served at `GET /v1/openapi.json`) and the JSON
 * Schema of each event type in `docs/schemas/<type>.json`, generated from the route table and
 * the validating zod schemas, then formatted by Biome as the rest of the repository.
 *
 *   npx tsx scripts/write-openapi.ts           # write the files
 *   npx tsx scripts/write-openapi.ts --check   # exit 1 when a file is out of date
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  eventJsonSchemas,
  openApiDocument,
  standaloneEventSchema,
} from '../functions/http/openapi';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every generated file, relative to the repository root, with its content. */
export const generatedFiles = (): Record<string, unknown> => ({
  'docs/openapi.json': openApiDocument(),
  ...Object.fromEntries(
    Object.keys(eventJsonSchemas()).map((type) => [
      `docs/schemas/${type}.json`,
      standaloneEventSchema(type),
    ]),
  ),
});

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(`${root}${file}`, 'utf8'));
  } catch {
    return undefined;
  }
};

const main = () => {
  const files = generatedFiles();
  if (process.argv.includes('--check')) {
    const stale = Object.entries(files)
      .filter(([file, content]) => !isDeepStrictEqual(readJson(file), content))
      .map(([file]) => file);
    if (stale.length > 0) {
      console.error(`out of date: ${stale.join(', ')}; run npx tsx scripts/write-openapi.ts`);
      process.exit(1);
    }
    return;
  }
  mkdirSync(`${root}docs/schemas`, { recursive: true });
  for (const [file, content] of Object.entries(files))
    writeFileSync(`${root}${file}`, `${JSON.stringify(content, null, 2)}\n`);
  execFileSync(
    `${root}node_modules/.bin/biome`,
    ['format', '--write', ...Object.keys(files).map((file) => `${root}${file}`)],
    { stdio: 'inherit' },
  );
  console.log(`wrote ${Object.keys(files).join(', ')}`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
