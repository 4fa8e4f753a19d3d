import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpGateway } from '../../../bin/local/http-gateway';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import {
  createUnsubscribeToken,
  verifyUnsubscribeToken,
} from '../../../functions/domain/unsubscribe-token';
import {
  acceptedSchema,
  EXAMPLE_UNSUBSCRIBE_SECRET,
  errorSchema,
  healthSchema,
} from '../../../functions/http/openapi';
import { MAX_BODY_BYTES } from '../../../functions/http/routes';
import {
  createTestApp,
  type TestApp,
  UNSUBSCRIBE_SECRET,
  WEBHOOK_SECRET,
} from '../support/harness';

/**
 * Every example request of the published document (docs/openapi.json), sent to the local stack
 * over HTTP: each must get the status its `x-expected-status` documents, with a content type and
 * body of that response. Webhooks are signed with the stack's secret; unsubscribe tokens signed
 * with the documented example secret are signed again with the stack's.
 */

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document whose shape the test checks
type Json = Record<string, any>;

const DOCUMENT: Json = JSON.parse(
  readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'),
);

const SCHEMAS: Record<string, { safeParse(value: unknown): { success: boolean } }> = {
  Accepted: acceptedSchema,
  Health: healthSchema,
  Error: errorSchema,
};

interface ExampleRequest {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly operation: Json;
  readonly parameters: Record<string, unknown>;
  readonly body?: { readonly type: string; readonly value: unknown };
  readonly expected: number;
}

const resolve = (node: Json): Json =>
  typeof node.$ref === 'string'
    ? (node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((at: Json, key: string) => at[key], DOCUMENT) as Json)
    : node;

/** The named examples of a parameter or media type, in document order. */
const examplesOf = (node: Json | undefined): Array<[string, Json]> =>
  Object.entries((node?.examples ?? {}) as Json) as Array<[string, Json]>;

/**
 * The requests an operation documents: each request-body example with every parameter's first
 * example, then each further parameter example with the first body example. The example that
 * varies says the status; an operation with no example at all expects its one 2xx answer.
 */
const requestsOf = (path: string, method: string, operation: Json): ExampleRequest[] => {
  const parameters = ((operation.parameters ?? []) as Json[]).map(resolve);
  const defaults = Object.fromEntries(
    parameters.map((parameter) => [
      parameter.name,
      parameter.example ?? examplesOf(parameter)[0]?.[1].value,
    ]),
  );
  const media = Object.entries((operation.requestBody?.content ?? {}) as Json).find(
    ([, content]) => examplesOf(content).length > 0,
  );
  const bodies = media
    ? examplesOf(media[1]).map(([name, example]) => ({
        name,
        example,
        body: { type: media[0], value: example.value },
      }))
    : [];
  const base = { method: method.toUpperCase(), path, operation };
  const requests: ExampleRequest[] = bodies.map(({ name, example, body }) => ({
    ...base,
    label: `${base.method} ${path} body ${name}`,
    parameters: defaults,
    body,
    expected: example['x-expected-status'],
  }));
  for (const parameter of parameters) {
    const examples = examplesOf(parameter);
    for (const [name, example] of bodies.length > 0 ? examples.slice(1) : examples) {
      requests.push({
        ...base,
        label: `${base.method} ${path} ${parameter.name} ${name}`,
        parameters: { ...defaults, [parameter.name]: example.value },
        ...(bodies[0] ? { body: bodies[0].body } : {}),
        expected: example['x-expected-status'],
      });
    }
  }
  if (requests.length === 0) {
    const [success] = Object.keys(operation.responses).filter((status) => /^2/.test(status));
    requests.push({
      ...base,
      label: `${base.method} ${path}`,
      parameters: defaults,
      expected: Number(success),
    });
  }
  return requests;
};

const EXAMPLE_REQUESTS = Object.entries(DOCUMENT.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).flatMap(([method, operation]) =>
    requestsOf(path, method, operation as Json),
  ),
);

let testApp: TestApp;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  testApp = await createTestApp();
  server = await startHttpGateway({ port: 0, bodyLimit: MAX_BODY_BYTES, route: testApp.app.route });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const encode = (body: NonNullable<ExampleRequest['body']>) =>
  body.type === 'application/json'
    ? JSON.stringify(body.value)
    : new URLSearchParams(body.value as Record<string, string>).toString();

/** The request as the stack must see it: signed with its secrets where the example was signed. */
const send = (request: ExampleRequest) => {
  const parameters = ((request.operation.parameters ?? []) as Json[]).map(resolve);
  const headers: Record<string, string> = {};
  const query = new URLSearchParams();
  for (const parameter of parameters) {
    let value = String(request.parameters[parameter.name]);
    const candidateId = verifyUnsubscribeToken(value, EXAMPLE_UNSUBSCRIBE_SECRET);
    if (parameter.name === 'token' && candidateId !== undefined)
      value = createUnsubscribeToken(candidateId, UNSUBSCRIBE_SECRET);
    if (parameter.in === 'header') headers[parameter.name] = value;
    else if (parameter.in === 'query') query.set(parameter.name, value);
  }
  const body = request.body ? encode(request.body) : undefined;
  if (request.body) headers['content-type'] = request.body.type;
  if ('webhook-signature' in headers) {
    // A fresh id, so that each example is a first delivery.
    Object.assign(
      headers,
      signWebhook(
        WEBHOOK_SECRET,
        `${headers['webhook-id']}_${randomUUID()}`,
        new Date(),
        body ?? '',
      ),
    );
  }
  const search = query.size > 0 ? `?${query}` : '';
  return fetch(`${baseUrl}${request.path}${search}`, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
};

describe('the examples of docs/openapi.json, sent to the local stack', () => {
  it('are many: every operation has at least one', () => {
    // Assess
    expect(new Set(EXAMPLE_REQUESTS.map((request) => request.operation.operationId)).size).toBe(5);
    expect(EXAMPLE_REQUESTS.every((request) => Number.isInteger(request.expected))).toBe(true);
  });

  // In document order: the events build on one another as a programme's would.
  it.each(EXAMPLE_REQUESTS.map((request) => [request.label, request] as const))(
    '%s is answered as documented',
    async (_label, request) => {
      // Act
      const response = await send(request);
      const text = await response.text();

      // Assess
      expect(response.status, text).toBe(request.expected);
      const documented = request.operation.responses[String(request.expected)] as Json;
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      expect(Object.keys(documented.content)).toContain(mediaType);
      const schemaName = String(documented.content[mediaType].schema.$ref ?? '')
        .split('/')
        .pop();
      const schema = SCHEMAS[schemaName ?? ''];
      if (mediaType === 'application/json' && schema !== undefined) {
        const json = JSON.parse(text);
        expect(schema.safeParse(json).success, text).toBe(true);
        const codes = examplesOf(documented.content[mediaType]).map(([, example]) => example.value);
        if (json.error !== undefined)
          expect(codes.map((value) => value.error)).toContain(json.error);
        if (json.issues !== undefined)
          expect(codes.map((value) => value.issues)).toContainEqual(json.issues);
      }
      if (mediaType === 'text/html') expect(text).toMatch(/<html/i);
    },
  );

  it('GET /v1/openapi.json serves the document itself', async () => {
    // Act
    const response = await fetch(`${baseUrl}/v1/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(DOCUMENT);
  });
});
