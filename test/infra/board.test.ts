import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, STACK_PREFIX } from '../../infra/app.ts';
import { joined, stackById, synthFindings, testApp, type Finding } from './synth.ts';

// The notice board's stack: private bucket, CloudFront with OAC, HTTPS only, strict CSP.
let app: App;
let findings: Finding[];
let synthError: Error | undefined;
let board: Template;
let api: Template;
type Resource = { Type: string; Properties?: any; DeletionPolicy?: string };
let resources: Record<string, Resource>;

beforeAll(() => {
  app = buildApp(testApp({ profile: 'guandu' }));
  ({ findings, error: synthError } = synthFindings(app));
  board = Template.fromStack(stackById(app, `${STACK_PREFIX}-Board`));
  api = Template.fromStack(stackById(app, `${STACK_PREFIX}-Api`));
  resources = (board.toJSON() as { Resources: Record<string, Resource> }).Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('board', () => {
  it('synthesises without building the pages and leaves no cdk-nag finding on the board', () => {
    expect(synthError?.message).toBeUndefined();
    expect(findings.filter((f) => f.paths.some((p) => p.includes(`${STACK_PREFIX}-Board`)))).toEqual([]);
  });

  it('leaves no CDK warning or error annotation on the board', () => {
    const annotations = Annotations.fromStack(stackById(app, `${STACK_PREFIX}-Board`));
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('keeps every bucket private, TLS-only and retained', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets.length).toBe(2);
    for (const [id, b] of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.DeletionPolicy, id).toBe('Retain');
    }
    const pages = buckets.find(([id]) => id.startsWith('Pages'))!;
    expect(pages[1].Properties.LoggingConfiguration.DestinationBucketName).toBeDefined();
    for (const [id, p] of ofType('AWS::S3::BucketPolicy')) {
      const stmts = p.Properties.PolicyDocument.Statement as any[];
      expect(stmts, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      // Nobody but CloudFront (and the deployment's role) reads the pages: no anonymous principal.
      for (const s of stmts.filter((x) => x.Effect === 'Allow'))
        expect(JSON.stringify(s.Principal), id).not.toBe('"*"');
    }
  });

  it('serves the pages only through CloudFront with origin access control', () => {
    board.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    board.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    board.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [
          Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } }),
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
    const pagesPolicy = ofType('AWS::S3::BucketPolicy').flatMap(
      ([, p]) => p.Properties.PolicyDocument.Statement as any[],
    );
    expect(pagesPolicy).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: expect.anything(),
      }),
    );
  });

  it('sends a strict Content-Security-Policy naming only itself and the API, and security headers', () => {
    const [[, policy]] = ofType('AWS::CloudFront::ResponseHeadersPolicy');
    const h = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(h.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // connect-src names the API's endpoint, imported from the API stack, and no other host.
    expect(csp).toMatch(/connect-src 'self' ",\{"Fn::ImportValue":"[^"]*HttpApi/);
    expect(csp.match(/https?:\/\//g) ?? []).toEqual([]);
    expect(h.StrictTransportSecurity).toMatchObject({ Override: true });
    expect(h.ContentTypeOptions).toMatchObject({ Override: true });
    expect(h.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    board.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: Match.anyValue() }),
      }),
    });
  });

  it('deploys the pages with a config.json that points them at the API', () => {
    const [[, deploy]] = ofType('Custom::CDKBucketDeployment');
    expect(deploy.Properties.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(deploy.Properties.SourceMarkers)).toContain('HttpApi');
    expect(deploy.Properties.DistributionPaths).toEqual(['/*']);
  });

  it("lets the board's pages call the API: its origin is one of the API's CORS origins, and no wildcard", () => {
    const [[, cors]] = Object.entries((api.toJSON() as { Resources: Record<string, Resource> }).Resources).filter(
      ([, r]) => r.Type === 'Custom::AWS',
    );
    const origins: string[] = JSON.parse(joined(cors.Properties.Create)).parameters.CorsConfiguration.AllowOrigins;
    expect(origins).toContainEqual(
      expect.stringMatching(/^https:\/\/\{Import:CommunityFund-Board:.*Distribution\w*DomainName/),
    );
    expect(origins).not.toContain('*');
  });
});
