import { describe, expect, it } from 'vitest';
import { DEFAULT_FUNCTION, MAX_BODY_BYTES, pathsOf, ROUTES } from '../../../functions/http/routes';

describe('the route table', () => {
  it('has every route of SPEC §3, each with its function', () => {
    // Act
    const routes = ROUTES.map((route) => `${route.method} ${route.path} -> ${route.function}`);

    // Assess
    expect(routes).toEqual([
      'POST /v1/events -> ingest',
      'GET /v1/health -> ingest',
      'GET /v1/openapi.json -> ingest',
      'GET /unsubscribe -> unsubscribe',
      'POST /unsubscribe -> unsubscribe',
    ]);
  });

  it('refuses bodies over 64 KiB on every route', () => {
    // Assess
    expect(MAX_BODY_BYTES).toBe(64 * 1024);
    for (const route of ROUTES) expect(route.maxBodyBytes, route.operationId).toBe(MAX_BODY_BYTES);
  });

  it('takes events as application/json only, and unsubscribes whatever the content type', () => {
    // Act
    const contentTypes = Object.fromEntries(
      ROUTES.map((route) => [
        route.operationId,
        'contentTypes' in route ? route.contentTypes : undefined,
      ]),
    );

    // Assess
    expect(contentTypes).toEqual({
      receiveEvent: ['application/json'],
      getHealth: undefined,
      getOpenApiDocument: undefined,
      showUnsubscribePage: undefined,
      unsubscribe: undefined,
    });
  });

  it('names each operation and each method and path once', () => {
    // Assess
    const ids = ROUTES.map((route) => route.operationId);
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives each path to one function, and spells paths without a trailing slash', () => {
    // Assess
    for (const path of pathsOf(ROUTES)) {
      expect(path).toMatch(/^\/[^?#]*[^/]$/);
      expect(
        new Set(ROUTES.filter((route) => route.path === path).map((r) => r.function)).size,
      ).toBe(1);
    }
  });

  it('sends unknown requests to ingest', () => {
    expect(DEFAULT_FUNCTION).toBe('ingest');
  });
});
