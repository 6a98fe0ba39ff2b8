// Sign in to Cognate over USER_SRP_AUTH with amazon-cognito-identity-js (spec §7) and print the outcome as JSON.
//
//   node srp_sign_in.js ENDPOINT POOL_ID CLIENT_ID USERNAME PASSWORD
//
// Arguments may instead come from COGNATE_ENDPOINT, COGNATE_POOL_ID, COGNATE_CLIENT_ID, COGNATE_USERNAME and
// COGNATE_PASSWORD. Prints {"AccessToken", "IdToken", "RefreshToken"} and exits 0, or {"error", "message"}
// (or {"challenge"}) and exits 1.
"use strict";

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require("amazon-cognito-identity-js");

const names = ["ENDPOINT", "POOL_ID", "CLIENT_ID", "USERNAME", "PASSWORD"];
const args = process.argv.slice(2);
const [endpoint, poolId, clientId, username, password] = names.map((name, i) => args[i] || process.env[`COGNATE_${name}`]);
if (!endpoint || !poolId || !clientId || !username || !password) {
  console.error(`usage: node srp_sign_in.js ${names.join(" ")}`);
  process.exit(2);
}

function finish(outcome, code) {
  process.stdout.write(JSON.stringify(outcome) + "\n");
  process.exitCode = code;
}

const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
const user = new CognitoUser({ Username: username, Pool: pool });
user.setAuthenticationFlowType("USER_SRP_AUTH");
user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
  onSuccess(session) {
    finish({
      AccessToken: session.getAccessToken().getJwtToken(),
      IdToken: session.getIdToken().getJwtToken(),
      RefreshToken: session.getRefreshToken().getToken(),
    }, 0);
  },
  onFailure(err) {
    finish({ error: err.code || err.name, message: err.message }, 1);
  },
  newPasswordRequired() {
    finish({ challenge: "NEW_PASSWORD_REQUIRED" }, 1);
  },
});
