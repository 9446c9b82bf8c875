// The identity provider of the browser tests: oidc-provider (a certified OpenID Provider) on
// loopback, with one client (the console) and four people in different groups. Its own pages
// sign people in and ask for consent (oidc-provider's development interactions, which take
// the login as the person and any password); RP-initiated logout is on.
//
// It listens on 127.0.0.1 while the consoles it signs into are opened at localhost: two sites,
// so the trip back to the console is the cross-site navigation a real provider makes.
//
// IDP_PORT: where it listens. IDP_CLIENT_SECRET: the console's client secret.
// IDP_CONSOLES: the consoles' origins, comma-separated (their callbacks and logout returns).
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const consoles = (process.env.IDP_CONSOLES ?? '').split(',').filter(Boolean);
const issuer = `http://127.0.0.1:${port}`;

// The people: their login is their subject.
const people = {
  ada: { name: 'Ada Admin', email: 'ada@corp.example', groups: ['everyone', 'dis-admins'] },
  olga: { name: 'Olga Operator', email: 'olga@corp.example', groups: ['everyone', 'dis-operators'] },
  vera: { name: 'Vera Viewer', email: 'vera@corp.example', groups: ['everyone'] },
  fred: { name: 'Fred Finance', email: 'fred@corp.example', groups: ['finance'] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'dis-console',
      client_secret: process.env.IDP_CLIENT_SECRET,
      redirect_uris: consoles.map((c) => `${c}/auth/callback`),
      post_logout_redirect_uris: consoles.map((c) => `${c}/login`),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // The groups are their own scope and claim, as many providers have them.
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
    groups: ['groups'],
  },
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, ...person };
      },
    };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  // Fixed keys for the cookies of this test provider only.
  cookies: { keys: ['end2end-test-provider-cookie-key'] },
});

// Browsers ask every site for its icon; this one has none, and says so without a 404.
provider.use(async (ctx, next) => {
  if (ctx.path === '/favicon.ico') {
    ctx.status = 204;
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`identity provider listening at ${issuer}`);
});
