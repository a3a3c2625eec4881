import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { API_MODULE_PORTS } from '../../functions/api/modulePorts.ts';
import { ROUTES, apiModules, moduleEntry, type ApiModule } from '../../functions/api/routes.ts';
import type { TableRef } from './access.ts';
import { ApiCors } from './api-cors.ts';
import { AppFunction, type FunctionRuntime } from './function.ts';

export interface ApiStackProps extends StackProps {
  runtime: FunctionRuntime;
  table: TableRef;
  /** The API resource (GatewayStack); this stack adds its routes, stage and CORS. */
  httpApi: HttpApi;
  /** The Cognito issuer URL and the app client ids the JWT authorizer trusts. */
  jwtIssuer: string;
  jwtAudience: string[];
  stateMachineArn: string;
  /** The reminders' queue: a command that opens a publicity window queues its announcement. */
  notifyQueue: IQueue;
  /** The origins whose pages may call the API from a browser: the board's and the console's. */
  webOrigins: string[];
}

/** Residents' routes, and the API's own description (integrators read it before they hold a token). */
export const isPublicPath = (path: string): boolean => path.startsWith('/v1/public/') || path === '/v1/openapi.json';

/** The staff and public HTTP API, built from the one route table in functions/api/routes.ts. */
export class ApiStack extends Stack {
  readonly httpApi: IHttpApi;
  readonly stage: HttpStage;
  readonly functions: Map<ApiModule, AppFunction> = new Map();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    for (const route of ROUTES) {
      // The two must agree, or a staff route would be served without a token (or the reverse).
      if ((route.access === 'public') !== isPublicPath(route.path)) {
        throw new Error(
          `Route ${route.method} ${route.path}: access '${String(route.access)}' disagrees with its path`,
        );
      }
    }

    // Referenced by id, so the routes and the authorizer are created in this stack, after the
    // sign-in clients, while the API resource stays in GatewayStack, before the pages.
    this.httpApi = HttpApi.fromHttpApiAttributes(this, 'HttpApi', {
      httpApiId: props.httpApi.apiId,
      apiEndpoint: props.httpApi.apiEndpoint,
    });
    /*
     * Only the notice board's and the staff console's pages may call the API from a browser.
     * Credentials are bearer tokens, never cookies; the origin list keeps another site's
     * script from using a token it somehow holds through a staff member's browser.
     */
    new ApiCors(this, 'Cors', { httpApi: this.httpApi, allowOrigins: props.webOrigins });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No headers or bodies: bearer tokens and residents' contact details stay out of logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const jwt = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, { jwtAudience: props.jwtAudience });

    const modules = apiModules();
    const integrations = new Map<ApiModule, HttpLambdaIntegration>();
    for (const module of modules) {
      const fn = new AppFunction(this, `Fn-${module}`, {
        entry: moduleEntry(module),
        service: `api-${module}`,
        description: `HTTP routes of the ${module} module`,
        runtime: props.runtime,
        ports: API_MODULE_PORTS[module],
        resources: { table: props.table, stateMachineArn: props.stateMachineArn, notifyQueue: props.notifyQueue },
      });
      this.functions.set(module, fn);
      integrations.set(module, new HttpLambdaIntegration(`Integration-${module}`, fn.fn));
    }

    for (const route of ROUTES) {
      const authorizer: IHttpRouteAuthorizer | undefined = route.access === 'public' ? undefined : jwt;
      const created = new HttpRoute(this, `${route.method}${route.path}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations.get(route.module)!,
        authorizer,
      });
      if (route.access === 'public') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.module === 'openapi'
              ? `${route.method} ${route.path} is the API's public description (issue 11): integrators load it into their tools before they have a token. It is static and read-only.`
              : `${route.method} ${route.path} is public by contract (API.md: paths under /v1/public/ need no token): residents read publicity and raise needs and objections without an account. Stage throttling limits abuse.`,
        });
      }
    }
  }
}
