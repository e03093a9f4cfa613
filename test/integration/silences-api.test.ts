import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as listAlertsRoute } from "../../app/api/v1/alerts/route";
import { DELETE as expireSilenceRoute, GET as getSilenceRoute } from "../../app/api/v1/silences/[id]/route";
import { GET as listSilencesRoute, OPTIONS as silencesPreflight, POST as createSilenceRoute } from "../../app/api/v1/silences/route";
import { authorizeOperator, OperatorAuthorizationError } from "../../server/auth/authorize";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests } from "../../server/db/client";
import { resetEnvForTests } from "../../server/env";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { AlertListResponse, SilenceListResponse, SilenceResponse } from "../../contract/alert-dto";
import { insertAlert } from "../support/alert-fixtures";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

const BASE = "http://srcwatch.test/api/v1";
const TOKEN = "operator-token-0123456789abcdef";
const config = parseConfig({
  upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8] }],
  mirrors: [
    {
      id: "git.centos.org",
      kind: "git-forge",
      name: "git.centos.org",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
    },
  ],
});

function setAdminToken(token: string | undefined): void {
  if (token === undefined) delete process.env.SRCWATCH_ADMIN_TOKEN;
  else process.env.SRCWATCH_ADMIN_TOKEN = token;
  resetEnvForTests();
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();
const validSilence = () => ({
  matchers: { mirrorId: "git.centos.org", major: 8 },
  endsAt: inADay(),
  author: "ops",
  comment: "planned maintenance",
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return createSilenceRoute(
    new Request(`${BASE}/silences`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}
function expire(id: string, headers: Record<string, string> = {}) {
  return expireSilenceRoute(new Request(`${BASE}/silences/${id}`, { method: "DELETE", headers }), { params: Promise.resolve({ id }) });
}

describe("authorizeOperator", () => {
  const original = process.env.SRCWATCH_ADMIN_TOKEN;
  afterEach(() => setAdminToken(original));
  const request = (headers: Record<string, string> = {}) => new Request("http://srcwatch.test/", { headers });
  const refusal = (headers: Record<string, string> = {}) => {
    try {
      authorizeOperator(request(headers));
    } catch (error) {
      if (error instanceof OperatorAuthorizationError)
        return { status: error.httpStatus, challenge: error.challenge, message: error.message };
      throw error;
    }
    return null;
  };

  it("refuses every operator action with 403 while no token is configured, whatever the caller sends", () => {
    setAdminToken(undefined);
    expect(refusal(auth(TOKEN))).toMatchObject({
      status: 403,
      challenge: null,
      message: "operator actions are disabled: set SRCWATCH_ADMIN_TOKEN",
    });
    expect(refusal()).toMatchObject({ status: 403 });
  });

  it("answers 401 with a Bearer challenge without a token, with a wrong one or another scheme", () => {
    setAdminToken(TOKEN);
    expect(refusal()).toMatchObject({ status: 401, challenge: expect.stringMatching(/^Bearer realm=/) });
    expect(refusal(auth(`${TOKEN}x`))).toMatchObject({ status: 401, challenge: expect.stringContaining('error="invalid_token"') });
    expect(refusal(auth(TOKEN.slice(0, -1)))).toMatchObject({ status: 401 });
    expect(refusal({ Authorization: `Basic ${Buffer.from(`ops:${TOKEN}`).toString("base64")}` })).toMatchObject({
      status: 401,
      challenge: expect.stringContaining("invalid_request"),
    });
  });

  it("lets the right token through, the scheme in any case", () => {
    setAdminToken(TOKEN);
    expect(refusal(auth(TOKEN))).toBeNull();
    expect(refusal({ Authorization: `bearer ${TOKEN}` })).toBeNull();
  });
});

describe(`/api/v1/silences (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let alertId: number;
  const original = process.env.SRCWATCH_ADMIN_TOKEN;

  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.db);
    setConfigForTests(config);
    await syncConfiguredMirrors(database.db, config);
    alertId = await insertAlert(database.db, {
      kind: "update_missing",
      mirrorId: "git.centos.org",
      major: 8,
      status: "firing",
      startsAt: new Date(Date.now() - 3_600_000),
    });
  });
  afterEach(() => setAdminToken(original));
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  const silenceCount = () => database.db.silence.count();

  it("refuses to create a silence without the configured token, and writes nothing", async () => {
    setAdminToken(undefined);
    const disabled = await post(validSilence(), auth(TOKEN));
    expect(disabled.status).toBe(403);
    expect(((await disabled.json()) as { error: { message: string } }).error.message).toContain("SRCWATCH_ADMIN_TOKEN");

    setAdminToken(TOKEN);
    const anonymous = await post(validSilence());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const wrong = await post(validSilence(), auth("not-the-operator-token"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain("invalid_token");
    // Authorization comes before the body is read: a stranger learns nothing about what a valid body is.
    expect((await post({ nonsense: true }, auth("not-the-operator-token"))).status).toBe(401);
    expect(await silenceCount()).toBe(0);
  });

  it.each([
    ["an unknown field", { ...validSilence(), extra: 1 }, "extra"],
    ["no matcher", { ...validSilence(), matchers: {} }, "matcher"],
    ["no comment", { ...validSilence(), comment: " " }, "comment"],
    ["an end in the past", { ...validSilence(), endsAt: "2001-01-01T00:00:00Z" }, "endsAt"],
    ["an unknown mirror", { ...validSilence(), matchers: { mirrorId: "no.such.mirror" } }, "unknown mirror"],
  ])("answers 400 to the operator for %s", async (_name, body, mentioned) => {
    setAdminToken(TOKEN);
    const response = await post(body, auth(TOKEN));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(mentioned);
    expect(await silenceCount()).toBe(0);
  });

  it("creates a silence for the operator, lists it publicly, marks matching alerts silenced, and expires it", async () => {
    setAdminToken(TOKEN);
    const created = await post(validSilence(), auth(TOKEN));
    expect(created.status).toBe(201);
    const { silence } = SilenceResponse.parse(await created.json());
    expect(silence).toMatchObject({ matchers: { mirrorId: "git.centos.org", major: 8 }, state: "active", author: "ops" });

    setAdminToken(undefined);
    const listed = SilenceListResponse.parse(await (await listSilencesRoute(new Request(`${BASE}/silences?state=active`))).json());
    expect(listed.items.map((item) => item.id)).toEqual([silence.id]);
    const alerts = AlertListResponse.parse(await (await listAlertsRoute(new Request(`${BASE}/alerts`))).json());
    expect(alerts.items.find((item) => item.id === alertId)?.silenced).toBe(true);

    expect((await expire(String(silence.id))).status).toBe(403);
    setAdminToken(TOKEN);
    expect((await expire(String(silence.id), auth("wrong-token-wrong-token"))).status).toBe(401);
    expect((await expire("999999", auth(TOKEN))).status).toBe(404);
    expect((await expire("abc", auth(TOKEN))).status).toBe(400);
    const expired = await expire(String(silence.id), auth(TOKEN));
    expect(expired.status).toBe(200);
    expect(SilenceResponse.parse(await expired.json()).silence.state).toBe("expired");

    const fetched = await getSilenceRoute(new Request(`${BASE}/silences/${silence.id}`), {
      params: Promise.resolve({ id: String(silence.id) }),
    });
    expect(SilenceResponse.parse(await fetched.json()).silence.state).toBe("expired");
    const after = AlertListResponse.parse(await (await listAlertsRoute(new Request(`${BASE}/alerts`))).json());
    expect(after.items.find((item) => item.id === alertId)?.silenced).toBe(false);
  });

  it("offers only GET to other origins: the preflight never allows POST or DELETE", () => {
    const preflight = silencesPreflight();
    expect(preflight.headers.get("access-control-allow-methods")).not.toMatch(/POST|DELETE/);
  });
});
