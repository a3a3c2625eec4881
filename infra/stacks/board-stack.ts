import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { repoPath } from './function.ts';
import { builtAppSource, deployPages, privateSite } from './static-site.ts';

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

    const site = privateSite(this, {
      comment: 'Community fund notice board',
      headersComment: 'Notice board: strict CSP (self and the API only) and security headers',
      connectSrc: `'self' ${props.apiUrl}`,
      defaultRootObject: 'index.html',
      noGeoRestrictionReason:
        'Residents read publicity from wherever they are (migrant workers, relatives abroad); the pages are public by law, so there is nothing to fence by country.',
      noWafReason:
        'Static, read-only pages behind OAC; every write goes to the API, which has its own throttling and per-client limits. A WAF here would guard files anyone may read.',
    });
    this.bucket = site.bucket;
    this.distribution = site.distribution;

    // config.json comes last, so it replaces the built placeholder: it tells the pages where the API is.
    deployPages(
      this,
      site,
      [builtAppSource(repoPath('infra/board')), Source.jsonData('config.json', { apiBaseUrl: props.apiUrl })],
      'the board',
    );

    new CfnOutput(this, 'BoardUrl', {
      value: `https://${this.distribution.distributionDomainName}/`,
      description: 'The notice board',
    });
  }
}
