import { Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The id AwsCustomResource gives its provider function, a singleton in the stack. */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** What a browser page may send the API: the staff console's writes need all of it. */
export const API_CORS = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH'],
  allowHeaders: ['authorization', 'content-type', 'accept', 'idempotency-key'],
  maxAgeSeconds: 3600,
} as const;

export interface ApiCorsProps {
  httpApi: IHttpApi;
  /** The only origins whose pages may call the API (`https://host`, no path, no trailing slash). */
  allowOrigins: string[];
}

/**
 * The API's CORS configuration, set once the origins that may call it exist. It cannot be a
 * property of the API resource: the board's and the console's distributions name the API in
 * their Content-Security-Policy, so the API exists first, and their origins are known only
 * after. One UpdateApi call at deployment (and DeleteCorsConfiguration when removed) closes
 * that loop; the API resource in GatewayStack carries no CORS property for CloudFormation to
 * reset.
 */
export class ApiCors extends Construct {
  constructor(scope: Construct, id: string, props: ApiCorsProps) {
    super(scope, id);
    const { partition, region } = Stack.of(this);
    // API Gateway's resource ARNs have no account and a path: arn:…:apigateway:region::/apis/id.
    const apiArn = `arn:${partition}:apigateway:${region}::/apis/${props.httpApi.apiId}`;
    const cors = {
      AllowOrigins: props.allowOrigins,
      AllowMethods: [...API_CORS.allowMethods],
      AllowHeaders: [...API_CORS.allowHeaders],
      MaxAge: API_CORS.maxAgeSeconds,
    };
    new AwsCustomResource(this, 'Update', {
      onUpdate: {
        service: 'ApiGatewayV2',
        action: 'UpdateApi',
        parameters: { ApiId: props.httpApi.apiId, CorsConfiguration: cors },
        physicalResourceId: PhysicalResourceId.of(`${props.httpApi.apiId}-cors`),
      },
      onDelete: {
        service: 'ApiGatewayV2',
        action: 'DeleteCorsConfiguration',
        parameters: { ApiId: props.httpApi.apiId },
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [apiArn] }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [`${apiArn}/cors`] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.acknowledgeProvider();
  }

  /** The custom resource runs in CDK's own provider function (one per stack); its findings are about code CDK writes. */
  private acknowledgeProvider(): void {
    const provider = Stack.of(this).node.tryFindChild(PROVIDER_ID);
    if (!provider) throw new Error('the AwsCustomResource provider was not found; check the acknowledgements below');
    const acks: [string, string][] = [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's custom-resource function, run only while CloudFormation deploys the API, writes its logs with the AWS managed basic execution policy.",
      ],
      [
        'AwsSolutions-L1',
        'The runtime of the custom-resource function is chosen by aws-cdk-lib and moves with it; it runs only during deployments, to set the CORS origins.',
      ],
    ];
    for (const [id, reason] of acks) Validations.of(provider).acknowledge({ id, reason });
  }
}
