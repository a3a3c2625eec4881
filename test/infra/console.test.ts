import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, STACK_PREFIX } from '../../infra/app.ts';
import { joined, stackById, synthFindings, testApp, type Finding } from './synth.ts';

// The staff console's stack beside the board, its sign-in client, and the API's CORS origins.
type Resource = { Type: string; Properties?: any; DeletionPolicy?: string };
let app: App;
let findings: Finding[];
let synthError: Error | undefined;
const templates = {} as Record<'Console' | 'Api' | 'Auth' | 'Gateway', Template>;
const resourcesOf = (name: keyof typeof templates, type: string) =>
  Object.entries((templates[name].toJSON() as { Resources: Record<string, Resource> }).Resources).filter(
    ([, r]) => r.Type === type,
  );
const one = (name: keyof typeof templates, type: string): Resource => {
  const found = resourcesOf(name, type);
  expect(found, `${name} ${type}`).toHaveLength(1);
  return found[0][1];
};

const API_ENDPOINT = /^\{Import:CommunityFund-Gateway:ExportsOutputFnGetAttHttpApi\w+ApiEndpoint\w+\}$/;
const CONSOLE_DOMAIN = '{GetAtt:Distribution830FAC52.DomainName}';

beforeAll(() => {
  app = buildApp(testApp({ profile: 'guandu' }));
  ({ findings, error: synthError } = synthFindings(app));
  for (const name of Object.keys({ Console: 0, Api: 0, Auth: 0, Gateway: 0 }) as (keyof typeof templates)[])
    templates[name] = Template.fromStack(stackById(app, `${STACK_PREFIX}-${name}`));
});

describe('console stack', () => {
  it('synthesises without building the console and leaves no cdk-nag finding or CDK warning on it', () => {
    expect(synthError?.message).toBeUndefined();
    expect(findings.filter((f) => f.paths.some((p) => p.includes(`${STACK_PREFIX}-Console`)))).toEqual([]);
    const annotations = Annotations.fromStack(stackById(app, `${STACK_PREFIX}-Console`));
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('keeps its buckets private and retained, and serves them only through its own CloudFront distribution over HTTPS', () => {
    const buckets = resourcesOf('Console', 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [id, b] of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.DeletionPolicy, id).toBe('Retain');
    }
    for (const [id, p] of resourcesOf('Console', 'AWS::S3::BucketPolicy'))
      expect(p.Properties.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    templates.Console.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    const config = one('Console', 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(config.Origins).toEqual([expect.objectContaining({ S3OriginConfig: { OriginAccessIdentity: '' } })]);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
  });

  it('sends the strict CSP naming only itself, the API and Cognito (issuer and sign-in domain), with HSTS', () => {
    const h = one('Console', 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;
    const csp = joined(h.ContentSecurityPolicy.ContentSecurityPolicy);
    const directives = new Map(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as [string, string[]]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    const connect = directives.get('connect-src')!;
    expect(connect).toHaveLength(4);
    expect(connect[0]).toBe("'self'");
    expect(connect[1]).toMatch(API_ENDPOINT);
    expect(connect[2]).toBe('https://cognito-idp.{Ref:AWS::Region}.amazonaws.com');
    expect(connect[3]).toMatch(
      /^https:\/\/\{Import:CommunityFund-Auth:\w*UserPoolSignIn\w*\}\.auth\.\{Ref:AWS::Region\}\.amazoncognito\.com$/,
    );
    expect(csp).not.toContain('unsafe-');
    expect(h.StrictTransportSecurity).toMatchObject({ Override: true, IncludeSubdomains: true });
    expect(h.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(h.ContentTypeOptions).toMatchObject({ Override: true });
  });

  it('deploys the console under /console/ with a config.json naming the API, the pool, its client and its own URL', () => {
    const deploy = one('Console', 'Custom::CDKBucketDeployment').Properties;
    expect(deploy.DestinationBucketKeyPrefix).toBe('console/');
    expect(deploy.DistributionPaths).toEqual(['/*']);
    expect(deploy.SourceObjectKeys).toHaveLength(2);
    // The second source is config.json: its staged file holds markers the deployment replaces with these values.
    const staged = readFileSync(
      join(app.outdir, `asset.${deploy.SourceObjectKeys[1].replace(/\.zip$/, '')}`, 'config.json'),
      'utf8',
    );
    const markers: Record<string, unknown> = deploy.SourceMarkers[1];
    const config = JSON.parse(staged.replace(/<<marker:0xbaba:\d+>>/g, (m) => joined(markers[m])));
    expect(config).toEqual({
      mode: 'cognito',
      apiBaseUrl: expect.stringMatching(API_ENDPOINT),
      cognito: {
        authority: expect.stringMatching(
          /^https:\/\/cognito-idp\.\{Ref:AWS::Region\}\.amazonaws\.com\/\{Import:CommunityFund-Auth:\w*UserPool\w*\}$/,
        ),
        clientId: '{Ref:ConsoleClient4D43B885}',
        domain: expect.stringMatching(/^https:\/\/\{Import:CommunityFund-Auth:\w*UserPoolSignIn\w*\}\.auth\./),
        redirectUri: `https://${CONSOLE_DOMAIN}/console/`,
      },
    });
  });

  it('answers / and every path ending in / with the console page', () => {
    const fn = one('Console', 'AWS::CloudFront::Function').Properties;
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: unknown) => any;
    expect(handler({ request: { uri: '/' } })).toMatchObject({
      statusCode: 302,
      headers: { location: { value: '/console/' } },
    });
    expect(handler({ request: { uri: '/console/' } })).toEqual({ uri: '/console/index.html' });
    expect(handler({ request: { uri: '/console/assets/index-1.js' } })).toEqual({ uri: '/console/assets/index-1.js' });
  });
});

describe('console sign-in', () => {
  it('has a public app client for the authorization code with PKCE, no secret, calling back only to the console', () => {
    const client = one('Console', 'AWS::Cognito::UserPoolClient').Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid']));
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    // No password or SRP flow of its own: only the sign-in pages sign in, and the refresh token renews.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    const consoleUrl = `https://${CONSOLE_DOMAIN}/console/`;
    expect(client.CallbackURLs.map(joined)).toEqual([consoleUrl]);
    expect(client.LogoutURLs.map(joined)).toEqual([consoleUrl]);
    expect(joined(client.UserPoolId)).toMatch(/^\{Import:CommunityFund-Auth:\w*UserPool\w*\}$/);
  });

  it('gives the pool a sign-in domain (the classic hosted UI, the only one on the Lite tier)', () => {
    const domain = one('Auth', 'AWS::Cognito::UserPoolDomain').Properties;
    expect(domain.ManagedLoginVersion).toBe(1);
    expect(joined(domain.Domain)).toBe('community-fund-{Ref:AWS::AccountId}');
  });
});

describe('API CORS', () => {
  const corsCall = () => {
    const call = one('Api', 'Custom::AWS').Properties;
    return {
      create: JSON.parse(joined(call.Create)),
      update: JSON.parse(joined(call.Update)),
      del: JSON.parse(joined(call.Delete)),
    };
  };

  it("admits only the board's and the console's origins, with the headers and methods the console sends", () => {
    const { create, update } = corsCall();
    expect(update).toEqual(create);
    expect(create).toMatchObject({ service: 'ApiGatewayV2', action: 'UpdateApi' });
    expect(create.parameters.ApiId).toMatch(/^\{Import:CommunityFund-Gateway:\w*HttpApi\w*\}$/);
    const cors = create.parameters.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual([
      expect.stringMatching(/^https:\/\/\{Import:CommunityFund-Board:\w*Distribution\w*DomainName\w*\}$/),
      expect.stringMatching(/^https:\/\/\{Import:CommunityFund-Console:\w*Distribution\w*DomainName\w*\}$/),
    ]);
    expect(cors.AllowMethods).toEqual(['GET', 'POST', 'PUT', 'PATCH']);
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(cors.AllowCredentials).toBeUndefined();
  });

  it('removes the CORS configuration with the stack, and the API resource carries none of its own', () => {
    expect(corsCall().del).toMatchObject({ action: 'DeleteCorsConfiguration' });
    expect(one('Gateway', 'AWS::ApiGatewayV2::Api').Properties.CorsConfiguration).toBeUndefined();
  });

  it('lets the custom resource change only that API: PATCH on it and DELETE on its CORS', () => {
    const [[, policy]] = resourcesOf('Api', 'AWS::IAM::Policy').filter(([id]) => id.startsWith('CorsUpdate'));
    const statements = policy.Properties.PolicyDocument.Statement as { Action: string; Resource: unknown }[];
    expect(statements.map((s) => [s.Action, joined(s.Resource)])).toEqual([
      [
        'apigateway:PATCH',
        expect.stringMatching(
          /^arn:\{Ref:AWS::Partition\}:apigateway:\{Ref:AWS::Region\}::\/apis\/\{Import:CommunityFund-Gateway:\w*HttpApi\w*\}$/,
        ),
      ],
      ['apigateway:DELETE', expect.stringMatching(/\/apis\/\{Import:CommunityFund-Gateway:\w*HttpApi\w*\}\/cors$/)],
    ]);
  });
});
