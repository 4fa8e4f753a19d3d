import { App, aws_lambda as lambda, aws_logs as logs, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type ApiRoute, ROUTES } from '../../functions/http/routes';
import { RemindersHttpApi } from '../../lib/constructs/reminders-http-api';

/** The HTTP API construct alone, with two stand-in functions: its routes come from the table. */
const synthesize = (routes?: readonly ApiRoute[]) => {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'HttpApiTest');
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
    });
  new RemindersHttpApi(stack, 'HttpApi', {
    ingest: fn('Ingest'),
    unsubscribe: fn('Unsubscribe'),
    rateLimit: 10,
    burstLimit: 20,
    accessLogRetention: logs.RetentionDays.ONE_DAY,
    ...(routes ? { routes } : {}),
  });
  return Template.fromStack(stack);
};

/** Each route key of the template and the function its integration invokes. */
const routeTargets = (template: Template): Record<string, string> => {
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
  const functionOf = (target: { 'Fn::Join': [string, [string, { Ref: string }]] }) => {
    const integration = integrations[target['Fn::Join'][1][1].Ref];
    const logicalId: string = integration?.Properties.IntegrationUri['Fn::GetAtt'][0];
    return logicalId.startsWith('Ingest') ? 'ingest' : 'unsubscribe';
  };
  return Object.fromEntries(
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => [
      route.Properties.RouteKey,
      functionOf(route.Properties.Target),
    ]),
  );
};

describe('RemindersHttpApi', () => {
  const template = synthesize();

  it('creates one route per entry of the route table, to the function it names', () => {
    // Act
    const targets = routeTargets(template);

    // Assess
    for (const route of ROUTES)
      expect(targets[`${route.method} ${route.path}`], route.operationId).toBe(route.function);
  });

  it('sends wrong methods on /unsubscribe to unsubscribe and everything else to ingest', () => {
    // Act
    const targets = routeTargets(template);

    // Assess
    expect(targets['ANY /unsubscribe']).toBe('unsubscribe');
    expect(targets.$default).toBe('ingest');
    expect(Object.keys(targets).sort()).toEqual(
      [
        ...ROUTES.map((route) => `${route.method} ${route.path}`),
        'ANY /unsubscribe',
        '$default',
      ].sort(),
    );
  });

  it('follows a changed table: a new route, and an ANY route for a path of another function', () => {
    // Prepare
    const table: ApiRoute[] = [
      ...ROUTES,
      {
        operationId: 'preview',
        method: 'GET',
        path: '/preview',
        function: 'unsubscribe',
        maxBodyBytes: 1024,
      },
    ];

    // Act
    const targets = routeTargets(synthesize(table));

    // Assess
    expect(targets['GET /preview']).toBe('unsubscribe');
    expect(targets['ANY /preview']).toBe('unsubscribe');
    expect(targets['ANY /v1/events']).toBeUndefined();
  });

  it('lets API Gateway invoke each function only through the API', () => {
    // Assess: one permission per route, each limited to this API
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(ROUTES.length + 2);
    for (const permission of permissions)
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
  });
});
