import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  Function as ViewerFunction,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { addConsoleClient } from './auth-stack.ts';
import { repoPath } from './function.ts';
import {
  accessLogsBucket,
  acknowledgeDeploymentHandler,
  builtAppSource,
  pagesBucket,
  securityHeaders,
} from './static-site.ts';

/** The console's path on its origin, as its build expects (Vite's `base`) and as `npm start` serves it. */
export const CONSOLE_PATH = '/console/';

export interface ConsoleStackProps extends StackProps {
  /** The HTTP API's base URL: the console calls it, and its CSP names it. */
  apiUrl: string;
  /**
   * The user pool staff sign in to, its issuer (`https://cognito-idp.<region>.amazonaws.com/<pool>`,
   * whose discovery document and keys the page reads) and its sign-in domain
   * (`https://<prefix>.auth.<region>.amazoncognito.com`: the sign-in pages and the token endpoint).
   */
  userPool: IUserPool;
  issuerUrl: string;
  /** `https://cognito-idp.<region>.amazonaws.com`, the issuer's origin. */
  idpOrigin: string;
  signInUrl: string;
  /**
   * The console's built files, by default `infra/console` built by its `build.ts` at
   * synthesis as the board is. Tests pass a stub.
   */
  pages?: ISource;
}

/**
 * Viewer-request function: the bare origin and `/console` go to the console's page, and a
 * path ending in `/` is its `index.html` (S3 through OAC has no index documents).
 */
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '/' || request.uri === '/console') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${CONSOLE_PATH}' } } };
  }
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

/**
 * The staff console in AWS, beside the notice board: its own private bucket and its own
 * CloudFront distribution (a separate origin from the public board), HTTPS only, the same
 * strict Content-Security-Policy admitting only the API and the sign-in domain, its
 * Cognito app client, and a `config.json` written at deployment that tells the page where
 * the API and the sign-in pages are.
 */
export class ConsoleStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;

  /** `https://<domain>`: where the console's page comes from, for the API's CORS. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** The console's address, also its sign-in callback and sign-out URL. */
  get url(): string {
    return `${this.origin}${CONSOLE_PATH}`;
  }

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);

    const logs = accessLogsBucket(this);
    this.bucket = pagesBucket(this, logs);
    const headers = securityHeaders(
      this,
      'Staff console: strict CSP (self, the API and Cognito only) and security headers',
      `'self' ${props.apiUrl} ${props.idpOrigin} ${props.signInUrl}`,
    );

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Community fund staff console',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new ViewerFunction(this, 'IndexRewrite', {
              comment: 'The console page at / and at paths ending in /',
              runtime: FunctionRuntime.JS_2_0,
              code: FunctionCode.fromInline(INDEX_REWRITE),
            }),
          },
        ],
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The console holds no data: every read and write goes to the API, which needs a Cognito sign-in with a TOTP code. Street staff travel and work from home; a country fence would only lock them out.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        "Static, read-only files behind OAC, the same for every visitor; the data is behind the API's JWT authorizer and stage throttling. A WAF here would guard a page anyone may download.",
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS floor AWS fixes; a district that adds its own domain and certificate should set TLSv1.2_2021 with it.',
    });

    this.client = addConsoleClient(this, props.userPool, this.url);

    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PATH.slice(1),
      // config.json comes last, so it replaces the built one (local mode): it names the API and the sign-in.
      sources: [
        props.pages ?? builtAppSource(repoPath('infra/console'), [repoPath('functions/domain/calendar.ts')]),
        Source.jsonData('config.json', {
          mode: 'cognito',
          apiBaseUrl: props.apiUrl,
          // The shape infra/console/src/config.ts reads.
          cognito: {
            authority: props.issuerUrl,
            clientId: this.client.userPoolClientId,
            domain: props.signInUrl,
            redirectUri: this.url,
          },
        }),
      ],
      // The files are small and change on every deployment, which also invalidates CloudFront's copies.
      cacheControl: [CacheControl.fromString('public, max-age=300')],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    acknowledgeDeploymentHandler(this, this.bucket, 'the console');

    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: 'The staff console' });
  }
}
