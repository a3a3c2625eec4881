import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
  type IUserPool,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ROLES } from '../../functions/api/routes.ts';

export interface AuthStackProps extends StackProps {
  /**
   * The prefix of the sign-in domain, `<prefix>.auth.<region>.amazoncognito.com` (globally
   * unique per region; no "aws", "amazon" or "cognito"). Default `community-fund-<account>`.
   */
  domainPrefix?: string;
}

const TOKEN_VALIDITY = {
  accessTokenValidity: Duration.hours(1),
  idTokenValidity: Duration.hours(1),
  refreshTokenValidity: Duration.hours(12),
};

const readAttributes = () =>
  new ClientAttributes()
    .withStandardAttributes({ email: true, phoneNumber: true, fullname: true })
    .withCustomAttributes('orgUnitId');

// A user must not move themselves to another unit: orgUnitId is writable by admins only.
const writeAttributes = () =>
  new ClientAttributes().withStandardAttributes({ email: true, phoneNumber: true, fullname: true });

/**
 * The staff console's app client: the sign-in domain's pages (password, then the TOTP code,
 * or the authenticator's enrolment at the first sign-in) hand the browser an authorization
 * code, which the console exchanges with PKCE; a public client, so no secret. Callback and
 * sign-out URLs are the console's own address only. It is created in the console's stack
 * (its URLs need the console's CloudFront domain, which needs the API's endpoint, which must
 * exist before the routes that trust this client), but it is defined here, beside the pool.
 */
export const addConsoleClient = (scope: Construct, userPool: IUserPool, consoleUrl: string): UserPoolClient => {
  const client = new UserPoolClient(scope, 'ConsoleClient', {
    userPool,
    generateSecret: false,
    authFlows: {},
    oAuth: {
      flows: { authorizationCodeGrant: true },
      // What the console asks for (infra/console/src/cognito.ts); openid alone puts custom:orgUnitId and the groups in the ID token.
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls: [consoleUrl],
      logoutUrls: [consoleUrl],
    },
    supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    ...TOKEN_VALIDITY,
    readAttributes: readAttributes(),
    writeAttributes: writeAttributes(),
  });
  /*
   * Only the sign-in pages sign staff in; the console itself never sends a password (no SRP
   * or password flow), it only renews with the refresh token. CDK writes no list when every
   * flow is off, and Cognito would then default to SRP and custom auth as well.
   */
  (client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
  return client;
};

/** Staff sign-in. A user's role is their group; their unit is `custom:orgUnitId`. */
export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthStackProps = {}) {
    super(scope, id, props);
    this.userPool = new UserPool(this, 'UserPool', {
      // Staff accounts are created by the district, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      customAttributes: { orgUnitId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      /*
       * Every sign-in needs a TOTP code: a leaked or guessed password alone opens nothing.
       * An account issued before its holder enrolled an authenticator is asked to enrol
       * one at the first sign-in (Cognito's MFA_SETUP challenge), so issuing is unchanged.
       */
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Lite: password sign-in (SRP), TOTP, groups and custom attributes are all this pool uses. See COG8 below.
      featurePlan: FeaturePlan.LITE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        "Plus-tier threat protection costs US$0.02 per user a month with no free allowance (US$24 a year for a district's 100 staff, more than the rest of a deployment's fixed cost); required TOTP MFA already stops the stolen-password sign-ins it would challenge, and the Lite tier's first 10,000 monthly users cost nothing.",
    });

    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `Holds the ${role} role`,
      });
    }

    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      ...TOKEN_VALIDITY,
      readAttributes: readAttributes(),
      writeAttributes: writeAttributes(),
    });

    // The sign-in pages the console sends staff to. On the Lite tier the classic hosted UI is the only choice.
    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `community-fund-${this.account}` },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the sign-in pages and the token endpoint. */
  get signInUrl(): string {
    return this.domain.baseUrl();
  }

  /** The issuer the API's JWT authorizer trusts. */
  get issuerUrl(): string {
    return `${this.idpOrigin}/${this.userPool.userPoolId}`;
  }

  /** The origin of the issuer: its discovery document and signing keys. */
  get idpOrigin(): string {
    return `https://cognito-idp.${this.region}.amazonaws.com`;
  }
}
