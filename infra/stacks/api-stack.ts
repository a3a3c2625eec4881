import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { API_MODULE_PORTS } from '../../functions/api/modulePorts.ts';
import { ROUTES, apiModules, moduleEntry, type ApiModule } from '../../functions/api/routes.ts';
import type { TableRef } from './access.ts';
import { AppFunction, type FunctionRuntime } from './function.ts';

export interface ApiStackProps extends StackProps {
  runtime: FunctionRuntime;
  table: TableRef;
  /** The Cognito issuer URL and app client id the JWT authorizer trusts. */
  jwtIssuer: string;
  jwtAudience: string;
  stateMachineArn: string;
}

/** Residents' routes, and the API's own description (integrators read it before they hold a token). */
export const isPublicPath = (path: string): boolean => path.startsWith('/v1/public/') || path === '/v1/openapi.json';

/** The staff and public HTTP API, built from the one route table in functions/api/routes.ts. */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
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

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Community service special fund API',
      // The default stage is made below, where throttling and access logs can be set.
      createDefaultStage: false,
      /*
       * The notice board (BoardStack) is served from CloudFront and calls the public routes
       * from the browser. Any origin may: the API's credentials are bearer tokens, never
       * cookies, so CORS grants a page nothing it does not already hold; and without
       * `authorization` among the allowed headers, browsers send no staff call cross-origin.
       */
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['content-type', 'accept'],
        maxAge: Duration.hours(1),
      },
    });
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

    const jwt = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });

    const modules = apiModules();
    const integrations = new Map<ApiModule, HttpLambdaIntegration>();
    for (const module of modules) {
      const fn = new AppFunction(this, `Fn-${module}`, {
        entry: moduleEntry(module),
        service: `api-${module}`,
        description: `HTTP routes of the ${module} module`,
        runtime: props.runtime,
        ports: API_MODULE_PORTS[module],
        resources: { table: props.table, stateMachineArn: props.stateMachineArn },
      });
      this.functions.set(module, fn);
      integrations.set(module, new HttpLambdaIntegration(`Integration-${module}`, fn.fn));
    }

    for (const route of ROUTES) {
      const authorizer: IHttpRouteAuthorizer | undefined = route.access === 'public' ? undefined : jwt;
      const created = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations.get(route.module)!,
        authorizer,
      });
      if (route.access === 'public') {
        for (const r of created) {
          Validations.of(r).acknowledge({
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
}
