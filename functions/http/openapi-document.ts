import document from '../../docs/openapi.json' with { type: 'json' };

/**
 * The published OpenAPI document (`docs/openapi.json`, written by `scripts/write-openapi.ts`), as
 * `GET /v1/openapi.json` serves it. Imported as data, so the ingest bundle carries the document
 * and none of the generator.
 */
export const OPENAPI_DOCUMENT: Readonly<Record<string, unknown>> = document;
