import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createEventValidator } from '../../../functions/domain/event-schemas';
import {
  ERROR_CODES,
  EVENT_EXAMPLES,
  eventJsonSchemas,
  openApiDocument,
} from '../../../functions/http/openapi';
import { OPENAPI_DOCUMENT } from '../../../functions/http/openapi-document';
import { ROUTES } from '../../../functions/http/routes';
import { generatedFiles } from '../../../scripts/write-openapi';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(`${root}${file}`, 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document whose shape the tests check
type Json = Record<string, any>;
const document = openApiDocument() as Json;

describe('the published API', () => {
  it.each(Object.keys(generatedFiles()))(
    '%s is up to date with the generator (npx tsx scripts/write-openapi.ts)',
    (file) => {
      // Assess
      expect(readJson(file)).toEqual(generatedFiles()[file]);
    },
  );

  it('is what GET /v1/openapi.json serves', () => {
    // Assess
    expect(OPENAPI_DOCUMENT).toEqual(readJson('docs/openapi.json'));
  });

  it('is OpenAPI 3.1 with one operation per route of the table, and no other', () => {
    // Act
    const operations = Object.entries(document.paths as Json).flatMap(([path, methods]) =>
      Object.entries(methods as Json).map(
        ([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`,
      ),
    );

    // Assess
    expect(document.openapi).toBe('3.1.0');
    expect(operations.sort()).toEqual(
      ROUTES.map((route) => `${route.method} ${route.path} ${route.operationId}`).sort(),
    );
  });

  it('documents the three Standard Webhooks headers of POST /v1/events as required', () => {
    // Act
    const headers = (document.paths['/v1/events'].post.parameters as Json[])
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => [parameter.name, parameter.required]);

    // Assess
    expect(headers).toEqual([
      ['webhook-id', true],
      ['webhook-timestamp', true],
      ['webhook-signature', true],
    ]);
  });

  it('names every SPEC error code, and has an example for every response', () => {
    // Assess
    expect(document.components.schemas.Error.properties.error.enum).toEqual([...ERROR_CODES]);
    for (const [path, methods] of Object.entries(document.paths as Json))
      for (const [method, operation] of Object.entries(methods as Json))
        for (const [status, response] of Object.entries(operation.responses as Json))
          for (const [type, media] of Object.entries(response.content as Json))
            expect(
              Object.keys(media.examples ?? {}).length,
              `${method} ${path} ${status} ${type}`,
            ).toBeGreaterThan(0);
  });

  it('answers every error code somewhere, or says where in the description', () => {
    // Act
    const documented = new Set<string>();
    for (const methods of Object.values(document.paths as Json))
      for (const operation of Object.values(methods as Json))
        for (const response of Object.values(operation.responses as Json))
          for (const media of Object.values((response.content ?? {}) as Json))
            for (const example of Object.values((media.examples ?? {}) as Json))
              if (typeof example.value?.error === 'string') documented.add(example.value.error);
    for (const example of document.components.schemas.Error.examples) documented.add(example.error);

    // Assess
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
    expect(document.info.description).toMatch(/404 not_found/);
    expect(document.info.description).toMatch(/405 method_not_allowed/);
  });
});

describe('the event schemas', () => {
  const validate = createEventValidator(() => new Date('2026-06-01T00:00:00Z'));

  it('cover the four event types, each with a valid example', () => {
    // Assess
    expect(Object.keys(eventJsonSchemas()).sort()).toEqual([
      'account.merged',
      'attempt.recorded',
      'candidate.erased',
      'candidate.updated',
    ]);
    for (const example of Object.values(EVENT_EXAMPLES)) expect(validate(example).ok).toBe(true);
  });

  it('are the validating zod schemas, with the rules JSON Schema cannot say as descriptions', () => {
    // Act
    const attempt = eventJsonSchemas()['attempt.recorded'] as Json;
    const candidate = attempt.properties.data.properties.candidate;

    // Assess
    expect(candidate.required).toEqual(['candidateId', 'email']);
    expect(candidate.properties.candidateId.pattern).toBe('^[A-Za-z0-9._:@-]{1,128}$');
    expect(candidate.properties.email.maxLength).toBe(254);
    expect(candidate.properties.timeZone.description).toMatch(/IANA time zone/);
    expect(candidate.properties.name.description).toMatch(/control characters/);
    expect(attempt.properties.data.properties.outcome.enum).toEqual(['pass', 'fail']);
    expect(attempt.properties.data.properties.takenAt.description).toMatch(
      /ISO 8601 instant.*Not before 2000-01-01, nor more than 5 minutes in the future/,
    );
    expect(attempt.properties.data.additionalProperties).toBeUndefined();
  });

  it('give each request example of POST /v1/events the status the validator leads to', () => {
    // Act
    const examples = document.paths['/v1/events'].post.requestBody.content['application/json']
      .examples as Json;

    // Assess
    for (const [name, example] of Object.entries(examples))
      expect(validate(example.value).ok ? 202 : 400, name).toBe(example['x-expected-status']);
  });
});

describe('the ingest bundle', () => {
  it('carries the document but neither the generator nor zod’s JSON Schema conversion', async () => {
    // Act
    const result = await build({
      entryPoints: ['functions/handlers/ingest.ts'],
      absWorkingDir: root.replace(/\/$/, ''),
      bundle: true,
      minify: true,
      write: false,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      metafile: true,
      logLevel: 'silent',
      outdir: 'out',
    });
    const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint);
    const carried = Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);

    // Assess
    expect(carried).toContain('docs/openapi.json');
    expect(carried).toContain('functions/http/dispatch.ts');
    expect(carried).not.toContain('functions/http/openapi.ts');
    expect(carried.filter((path) => /to-json-schema|json-schema-processors/.test(path))).toEqual(
      [],
    );
  }, 60_000);
});
