import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as ViewerFunction,
} from 'aws-cdk-lib/aws-cloudfront';
import type { IUserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { CONSOLE_OUTSIDE_SOURCES } from '../console/build.ts';
import { addConsoleClient } from './auth-stack.ts';
import { repoPath } from './function.ts';
import { builtAppSource, deployPages, privateSite } from './static-site.ts';

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

    const site = privateSite(this, {
      comment: 'Community fund staff console',
      headersComment: 'Staff console: strict CSP (self, the API and Cognito only) and security headers',
      connectSrc: `'self' ${props.apiUrl} ${props.idpOrigin} ${props.signInUrl}`,
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
      noGeoRestrictionReason:
        'The console holds no data: every read and write goes to the API, which needs a Cognito sign-in with a TOTP code. Street staff travel and work from home; a country fence would only lock them out.',
      noWafReason:
        "Static, read-only files behind OAC, the same for every visitor; the data is behind the API's JWT authorizer and stage throttling. A WAF here would guard a page anyone may download.",
    });
    this.bucket = site.bucket;
    this.distribution = site.distribution;

    this.client = addConsoleClient(this, props.userPool, this.url);

    // config.json comes last, so it replaces the built one (local mode): it names the API and the sign-in.
    deployPages(
      this,
      site,
      [
        props.pages ?? builtAppSource(repoPath('infra/console'), CONSOLE_OUTSIDE_SOURCES),
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
      'the console',
      CONSOLE_PATH.slice(1),
    );

    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: 'The staff console' });
  }
}
