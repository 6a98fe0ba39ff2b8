// A Node backend's side of the authorization code flow with openid-client, against Cognate on its defaults.
//
//   node code_flow.mjs start  ISSUER CLIENT_ID REDIRECT_URI
//       discovery from the issuer; prints {"url", "verifier", "state", "nonce"}: the authorization URL (PKCE S256)
//       the browser is sent to, and what a backend would keep in its session meanwhile
//   node code_flow.mjs finish ISSUER CLIENT_ID CALLBACK_URL VERIFIER STATE NONCE
//       discovery again (a new process, as after a restart); the code exchange from the callback URL (state, PKCE,
//       ID token: signature from jwks_uri, iss, aud, nonce), userinfo, then revocation of the refresh token and a
//       refresh that must be refused; prints {"endpoints", "claims", "userinfo", "refreshAfterRevoke"}
//
// A public client (token_endpoint_auth_method none). http:// is allowed (allowInsecureRequests): the server is
// local. Any failure prints {"error", "message", "cause"} and exits 1, so the test shows where it stopped (for
// example getaddrinfo ENOTFOUND for a token endpoint the system resolver cannot find).
import * as client from "openid-client";

const [command, issuer, clientId, ...rest] = process.argv.slice(2);

async function configuration() {
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  client.enableNonRepudiationChecks(config); // verify the ID token's signature against jwks_uri too
  return config;
}

async function start(redirectUri) {
  const config = await configuration();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.href, verifier, state, nonce };
}

async function refreshAfterRevoke(config, refreshToken) {
  await client.tokenRevocation(config, refreshToken, { token_type_hint: "refresh_token" });
  try {
    await client.refreshTokenGrant(config, refreshToken);
    return "accepted";
  } catch (err) {
    return err.error || err.code || String(err);
  }
}

async function finish(callbackUrl, verifier, state, nonce) {
  const config = await configuration();
  const tokens = await client.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const meta = config.serverMetadata();
  return {
    endpoints: {
      token: meta.token_endpoint,
      userinfo: meta.userinfo_endpoint,
      revocation: meta.revocation_endpoint,
      jwks: meta.jwks_uri,
    },
    claims,
    userinfo,
    refreshAfterRevoke: await refreshAfterRevoke(config, tokens.refresh_token),
  };
}

async function main() {
  if (command === "start" && rest.length === 1) return start(...rest);
  if (command === "finish" && rest.length === 4) return finish(...rest);
  console.error("usage: node code_flow.mjs start ISSUER CLIENT_ID REDIRECT_URI | finish ISSUER CLIENT_ID CALLBACK_URL VERIFIER STATE NONCE");
  process.exit(2);
}

try {
  process.stdout.write(JSON.stringify(await main()) + "\n");
} catch (err) {
  const cause = err.cause ? `${err.cause.code || ""} ${err.cause.message || err.cause}`.trim() : "";
  process.stdout.write(JSON.stringify({ error: err.code || err.name, message: err.message, cause }) + "\n");
  process.exitCode = 1;
}
