import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { repoPath } from './function.ts';
import {
  accessLogsBucket,
  acknowledgeDeploymentHandler,
  builtAppSource,
  pagesBucket,
  securityHeaders,
} from './static-site.ts';

export interface BoardStackProps extends StackProps {
  /** The HTTP API's base URL (`https://…execute-api…`): the pages call its public routes. */
  apiUrl: string;
}

/**
 * The residents' notice board in AWS: the built pages in a private bucket, served only by
 * CloudFront through origin access control, over HTTPS, with security headers and a strict
 * Content-Security-Policy that admits the API's origin and nothing else from outside.
 */
export class BoardStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  /** `https://<domain>`: where the board's pages come from, for the API's CORS. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  constructor(scope: Construct, id: string, props: BoardStackProps) {
    super(scope, id, props);

    const logs = accessLogsBucket(this);
    this.bucket = pagesBucket(this, logs);
    const headers = securityHeaders(
      this,
      'Notice board: strict CSP (self and the API only) and security headers',
      `'self' ${props.apiUrl}`,
    );

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Community fund notice board',
      defaultRootObject: 'index.html',
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
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Residents read publicity from wherever they are (migrant workers, relatives abroad); the pages are public by law, so there is nothing to fence by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static, read-only pages behind OAC; every write goes to the API, which has its own throttling and per-client limits. A WAF here would guard files anyone may read.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS floor AWS fixes; a district that adds its own domain and certificate should set TLSv1.2_2021 with it.',
    });

    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      // config.json comes last, so it replaces the built placeholder: it tells the pages where the API is.
      sources: [builtAppSource(repoPath('infra/board')), Source.jsonData('config.json', { apiBaseUrl: props.apiUrl })],
      // Pages are small and change on every deployment, which also invalidates CloudFront's copies.
      cacheControl: [CacheControl.fromString('public, max-age=300')],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    acknowledgeDeploymentHandler(this, this.bucket, 'the board');

    new CfnOutput(this, 'BoardUrl', {
      value: `https://${this.distribution.distributionDomainName}/`,
      description: 'The notice board',
    });
  }
}
