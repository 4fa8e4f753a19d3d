import {
  aws_apigateway as apigateway,
  type aws_lambda as lambda,
  aws_logs as logs,
  RemovalPolicy,
  Validations,
} from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import {
  type ApiRoute,
  DEFAULT_FUNCTION,
  type FunctionName,
  pathsOf,
  ROUTES,
} from '../../functions/http/routes';

export interface RemindersHttpApiProps {
  /** Answers its routes of the table (`/v1/…`), and every request no other route matches. */
  readonly ingest: lambda.IFunction;
  /** Answers every method on `/unsubscribe`. */
  readonly unsubscribe: lambda.IFunction;
  /** The routes to create. @default ROUTES, the route table of SPEC §3 */
  readonly routes?: readonly ApiRoute[];
  /** Steady requests per second, across all routes. */
  readonly rateLimit: number;
  /** Requests accepted in a burst, across all routes. */
  readonly burstLimit: number;
  readonly accessLogRetention: logs.RetentionDays;
}

/** Route authorisation is done in the functions, which API Gateway authorisers cannot replace. */
const AUTHORISED_IN_FUNCTION =
  'Public endpoint of SPEC §3: POST /v1/events checks the Standard Webhooks HMAC signature in the ingest function, the unsubscribe routes check an HMAC-signed token, and the health, OpenAPI document and fallback routes read and change nothing. Callers (the certification programme, email recipients) hold no AWS or OAuth credentials, so an API Gateway authoriser cannot apply.';

/**
 * The HTTP API of SPEC §3 on its `$default` stage, throttled and with JSON access logs.
 *
 * Its routes and integrations are generated from the route table (`functions/http/routes.ts`),
 * one route per method and path, to the function the table names. Besides them, an `ANY` route
 * on each path of a function other than {@link DEFAULT_FUNCTION} (`ANY /unsubscribe`) and the
 * `$default` route send every other request to the functions, so that a wrong method or path
 * gets the JSON `405 method_not_allowed` or `404 not_found` of the SPEC rather than API
 * Gateway's own `{"message":"Not Found"}`.
 *
 * Access logs record the route, status and timings, never the query string (which carries
 * unsubscribe tokens).
 *
 * @example
 * const api = new RemindersHttpApi(this, 'HttpApi', {
 *   ingest: ingest.function,
 *   unsubscribe: unsubscribe.function,
 *   rateLimit: 50,
 *   burstLimit: 100,
 *   accessLogRetention: logs.RetentionDays.ONE_MONTH,
 * });
 * api.url; // https://<id>.execute-api.<region>.amazonaws.com
 */
export class RemindersHttpApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly accessLogGroup: logs.LogGroup;
  /** The endpoint URL, without a trailing slash. */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: RemindersHttpApiProps) {
    super(scope, id);
    const table = props.routes ?? ROUTES;
    const integrations: Record<FunctionName, HttpLambdaIntegration> = {
      ingest: new HttpLambdaIntegration('IngestIntegration', props.ingest),
      unsubscribe: new HttpLambdaIntegration('UnsubscribeIntegration', props.unsubscribe),
    };

    this.api = new HttpApi(this, 'Api', {
      description: 'cert-reminders webhook and unsubscribe endpoints',
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = this.api.apiEndpoint;

    const functionOf = (path: string) =>
      (table.find((route) => route.path === path) as ApiRoute).function;
    const routes = [
      ...table.flatMap((route) =>
        this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration: integrations[route.function],
        }),
      ),
      ...pathsOf(table)
        .filter((path) => functionOf(path) !== DEFAULT_FUNCTION)
        .flatMap((path) =>
          this.api.addRoutes({
            path,
            methods: [HttpMethod.ANY],
            integration: integrations[functionOf(path)],
          }),
        ),
      new HttpRoute(this, 'FallbackRoute', {
        httpApi: this.api,
        routeKey: HttpRouteKey.DEFAULT,
        integration: integrations[DEFAULT_FUNCTION],
      }),
    ];
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: AUTHORISED_IN_FUNCTION,
      });
    }
  }
}
