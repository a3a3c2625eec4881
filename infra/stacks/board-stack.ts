import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CfnOutput, DockerImage, Duration, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { boardContentSecurityPolicy } from '../board/security.ts';
import { repoPath } from './function.ts';

export interface BoardStackProps extends StackProps {
  /** The HTTP API's base URL (`https://…execute-api…`): the pages call its public routes. */
  apiUrl: string;
}

const BOARD_ROOT = repoPath('infra/board');

/**
 * The board's pages as a deployable asset. The source is infra/board itself, built with
 * Vite at synthesis (local bundling), so `cdk synth` works on a clone where nobody ran the
 * build, and the infra tests, which skip bundling, never build at all.
 */
const boardPages = () =>
  Source.asset(BOARD_ROOT, {
    exclude: ['dist', 'node_modules'],
    bundling: {
      // Required by the type; the local build below always answers, or fails loudly.
      image: DockerImage.fromRegistry('node:20'),
      local: {
        tryBundle(outputDir: string) {
          execFileSync(process.execPath, ['--import', 'tsx', join(BOARD_ROOT, 'build.ts'), '--out', outputDir], {
            cwd: repoPath('.'),
            stdio: 'inherit',
          });
          return true;
        },
      },
    },
  });

/**
 * The residents' notice board in AWS: the built pages in a private bucket, served only by
 * CloudFront through origin access control, over HTTPS, with security headers and a strict
 * Content-Security-Policy that admits the API's origin and nothing else from outside.
 */
export class BoardStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: BoardStackProps) {
    super(scope, id, props);

    // Access logs of the bucket and of CloudFront. CloudFront's standard logs need ACLs (object writer).
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination itself; logging it into itself would loop and into another bucket would only move the question.',
    });

    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'pages-bucket/',
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Notice board: strict CSP (self and the API only) and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: boardContentSecurityPolicy(`'self' ${props.apiUrl}`),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

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
      sources: [boardPages(), Source.jsonData('config.json', { apiBaseUrl: props.apiUrl })],
      // Pages are small and change on every deployment, which also invalidates CloudFront's copies.
      cacheControl: [CacheControl.fromString('public, max-age=300')],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    this.acknowledgeDeploymentHandler();

    new CfnOutput(this, 'BoardUrl', {
      value: `https://${this.distribution.distributionDomainName}/`,
      description: 'The notice board',
    });
  }

  /**
   * CDK's bucket deployment brings its own function (one per stack). Its findings are
   * about code and permissions CDK writes; each is acknowledged here with its reason.
   */
  private acknowledgeDeploymentHandler(): void {
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('the bucket deployment function was not found; check the acknowledgements below');
    const pagesArn = `<${this.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`;
    const objects =
      "CDK's bucket deployment copies the built pages from the CDK asset bucket into the pages bucket and removes stale files, so it needs these S3 object actions on those two buckets' keys only.";
    const acks: [string, string][] = [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "The deployment function, CDK's own and run only during deployments, writes its logs with the AWS managed basic execution policy.",
      ],
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((a): [string, string] => [
        `AwsSolutions-IAM5[Action::${a}]`,
        objects,
      ]),
      [`AwsSolutions-IAM5[Resource::${pagesArn}]`, objects],
      [
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        objects,
      ],
      [
        'AwsSolutions-IAM5[Resource::*]',
        'The deployment invalidates the distribution after a release; cloudfront:CreateInvalidation as CDK grants it names no narrower resource.',
      ],
      [
        'AwsSolutions-L1',
        'The runtime of the deployment function is chosen by aws-cdk-lib and moves with it; it runs only while CloudFormation deploys the board.',
      ],
    ];
    for (const [id, reason] of acks) Validations.of(handler).acknowledge({ id, reason });
  }
}
