import { Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';

/**
 * The HTTP API itself, with no route yet: its endpoint must exist before the pages that call
 * it (their Content-Security-Policy names it), and its routes after the sign-in clients
 * those pages use (the JWT authorizer trusts their ids). Splitting the API resource from
 * its routes is what lets one `cdk deploy --all` order all of it without a cycle.
 */
export class GatewayStack extends Stack {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Community service special fund API',
      // The default stage is made with the routes (ApiStack), where throttling and access logs are set.
      createDefaultStage: false,
      // CORS is set by ApiStack once the board's and the console's origins exist (see api-cors.ts).
    });
  }
}
