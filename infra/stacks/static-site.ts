import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AssetHashType, DockerImage, Duration, Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  type FunctionAssociation,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { boardContentSecurityPolicy } from '../board/security.ts';
import { repoPath } from './function.ts';

/**
 * What the notice board and the staff console share in AWS: a private pages bucket with
 * access logs, strict security headers, and CDK's deployment function with its findings
 * acknowledged. Each helper creates its constructs directly in `stack`, under the ids the
 * board has always had, so their logical ids (and the deployed buckets) stay the same.
 */

/** The access-log bucket of a site: its pages bucket and its CloudFront distribution log here. */
const accessLogsBucket = (stack: Stack): Bucket => {
  // CloudFront's standard logs need ACLs (object writer).
  const logs = new Bucket(stack, 'AccessLogs', {
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
  return logs;
};

/** The private bucket the built pages are copied into; only CloudFront reads it. */
const pagesBucket = (stack: Stack, logs: Bucket): Bucket =>
  new Bucket(stack, 'Pages', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'pages-bucket/',
  });

/** The strict Content-Security-Policy (own files only; calls to `connectSrc`) and the usual security headers. */
const securityHeaders = (stack: Stack, comment: string, connectSrc: string): ResponseHeadersPolicy =>
  new ResponseHeadersPolicy(stack, 'SecurityHeaders', {
    comment,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: boardContentSecurityPolicy(connectSrc), override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    },
  });

/** How a site's CloudFront distribution differs between the board and the console. */
export interface PrivateSiteProps {
  /** The distribution's comment. */
  comment: string;
  /** The comment of its security-headers policy. */
  headersComment: string;
  /** What the pages may call besides their own origin (the CSP's `connect-src`). */
  connectSrc: string;
  /** Why no country restriction (cdk-nag AwsSolutions-CFR1). */
  noGeoRestrictionReason: string;
  /** Why no WAF (cdk-nag AwsSolutions-CFR2). */
  noWafReason: string;
  defaultRootObject?: string;
  functionAssociations?: FunctionAssociation[];
}

/** A site's private bucket and the distribution that alone serves it. */
export interface PrivateSite {
  bucket: Bucket;
  distribution: Distribution;
}

/**
 * A static site in AWS: a private pages bucket with access logs, served only by a CloudFront
 * distribution through origin access control, HTTPS only, with the strict CSP and security
 * headers. The constructs keep the ids the board has always had, directly in `stack`.
 */
export const privateSite = (stack: Stack, props: PrivateSiteProps): PrivateSite => {
  const logs = accessLogsBucket(stack);
  const bucket = pagesBucket(stack, logs);
  const headers = securityHeaders(stack, props.headersComment, props.connectSrc);
  const distribution = new Distribution(stack, 'Distribution', {
    comment: props.comment,
    ...(props.defaultRootObject ? { defaultRootObject: props.defaultRootObject } : {}),
    httpVersion: HttpVersion.HTTP2_AND_3,
    enableLogging: true,
    logBucket: logs,
    logFilePrefix: 'cloudfront/',
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
      ...(props.functionAssociations ? { functionAssociations: props.functionAssociations } : {}),
    },
  });
  Validations.of(distribution).acknowledge({ id: 'AwsSolutions-CFR1', reason: props.noGeoRestrictionReason });
  Validations.of(distribution).acknowledge({ id: 'AwsSolutions-CFR2', reason: props.noWafReason });
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR4',
    reason:
      'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS floor AWS fixes; a district that adds its own domain and certificate should set TLSv1.2_2021 with it.',
  });
  return { bucket, distribution };
};

/**
 * Copies `sources` into the site's bucket (under `keyPrefix`) at each deployment and
 * invalidates the distribution; `what` names the site in the deployment function's findings.
 */
export const deployPages = (
  stack: Stack,
  site: PrivateSite,
  sources: ISource[],
  what: string,
  keyPrefix?: string,
): void => {
  new BucketDeployment(stack, 'Deploy', {
    destinationBucket: site.bucket,
    ...(keyPrefix ? { destinationKeyPrefix: keyPrefix } : {}),
    sources,
    // Pages are small and change on every deployment, which also invalidates CloudFront's copies.
    cacheControl: [CacheControl.fromString('public, max-age=300')],
    distribution: site.distribution,
    distributionPaths: ['/*'],
    memoryLimit: 512,
  });
  acknowledgeDeploymentHandler(stack, site.bucket, what);
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'dist' || e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : [path];
  });

/** A hash of every source file a build reads, so a change in any of them (not only under the app's folder) redeploys. */
const sourceHash = (inputs: string[]): string => {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const files = statSync(input).isDirectory() ? filesUnder(input) : [input];
    for (const file of files.sort())
      hash
        .update(relative(repoPath('.'), file))
        .update('\0')
        .update(readFileSync(file));
  }
  return hash.digest('hex');
};

/**
 * A Vite app as a deployable asset: `root` is built by its `build.ts --out <dir>` at
 * synthesis (local bundling), so `cdk synth` works on a clone where nobody ran the build,
 * and the infra tests, which skip bundling, never build at all. `extraInputs` are the files
 * outside `root` the build also reads.
 */
export const builtAppSource = (root: string, extraInputs: string[] = []): ISource =>
  Source.asset(root, {
    exclude: ['dist', 'node_modules'],
    ...(extraInputs.length
      ? { assetHashType: AssetHashType.CUSTOM, assetHash: sourceHash([root, ...extraInputs]) }
      : {}),
    bundling: {
      // Required by the type; the local build below always answers, or fails loudly.
      image: DockerImage.fromRegistry('node:20'),
      local: {
        tryBundle(outputDir: string) {
          execFileSync(process.execPath, ['--import', 'tsx', join(root, 'build.ts'), '--out', outputDir], {
            cwd: repoPath('.'),
            stdio: 'inherit',
          });
          return true;
        },
      },
    },
  });

/**
 * CDK's bucket deployment brings its own function (one per stack). Its findings are about
 * code and permissions CDK writes; each is acknowledged here with its reason.
 */
const acknowledgeDeploymentHandler = (stack: Stack, pages: Bucket, what: string): void => {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('the bucket deployment function was not found; check the acknowledgements below');
  const pagesArn = `<${stack.getLogicalId(pages.node.defaultChild as CfnElement)}.Arn>/*`;
  const objects = `CDK's bucket deployment copies the built pages from the CDK asset bucket into the pages bucket and removes stale files, so it needs these S3 object actions on those two buckets' keys only.`;
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
      `The runtime of the deployment function is chosen by aws-cdk-lib and moves with it; it runs only while CloudFormation deploys ${what}.`,
    ],
  ];
  for (const [id, reason] of acks) Validations.of(handler).acknowledge({ id, reason });
};
