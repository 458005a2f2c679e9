// What a frontend team does with the API, through the generated types only (no cast anywhere): staff open a call;
// a new user registers, verifies the address through the mailed link, signs in, creates an organisation, drafts a
// Trust Fund pledge and submits it for a receipt; anyone searches the repository; and a draft on a closed track is
// refused with a typed `deadline_passed` problem. Exits non-zero at the first thing that is not as the contract says.
//
// Environment: WSIS_BASE (the server), WSIS_OUTBOX (the directory the server writes mail to), WSIS_STAFF_EMAIL and
// WSIS_STAFF_PASSWORD (a staff account).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import createClient from "openapi-fetch";

import type { components, paths } from "./api.js";

type Problem = components["schemas"]["Problem"];

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set`);
  }
  return value;
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error(`not as the contract says: ${what}`);
  }
}

/** The value of a successful answer, or a failure naming the problem the server gave instead. */
function expect<T>(outcome: { data?: T; error?: Problem | unknown; response: Response }, what: string): T {
  if (outcome.data === undefined) {
    throw new Error(`${what}: ${outcome.response.status} ${JSON.stringify(outcome.error)}`);
  }
  return outcome.data;
}

/** Every file under `dir`. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The verification token mailed to `address`. */
function mailedToken(outbox: string, address: string): string {
  for (const path of files(outbox)) {
    const mail = readFileSync(path, "utf8");
    const token = /token=(wsis_ev_[A-Za-z0-9_-]+)/.exec(mail)?.[1];
    if (mail.includes(address) && token !== undefined) {
      return token;
    }
  }
  throw new Error(`no verification mail to ${address} in ${outbox}`);
}

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

const api = createClient<paths>({ baseUrl: env("WSIS_BASE") });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const run = `${Date.now()}`;

async function signIn(username: string, password: string): Promise<string> {
  const tokens = expect(
    await api.POST("/api/v1/auth/token", { body: { grant_type: "password", username, password } }),
    "sign in",
  );
  check(tokens.token_type === "Bearer", "a bearer token");
  return tokens.access_token;
}

// Staff open a call whose four tracks are open from today for a month.
const staff = await signIn(env("WSIS_STAFF_EMAIL"), env("WSIS_STAFF_PASSWORD"));
const slug = `ts-client-${run}`;
const window = {
  opens: { rule: "start_of_local_day", date: day(-1) },
  closes: { rule: "end_of_local_day", date: day(30) },
} satisfies Pick<components["schemas"]["TrackInput"], "opens" | "closes">;
const call = expect(
  await api.POST("/api/v1/calls", {
    headers: bearer(staff),
    body: {
      slug,
      year: new Date().getUTCFullYear(),
      timezone: "Europe/Zurich",
      title: { ar: "دعوة", zh: "征集", en: "Open call", fr: "Appel", ru: "Призыв", es: "Convocatoria" },
      tracks: [{ kind: "trust_fund", ...window }, { kind: "stocktaking", ...window }],
    },
  }),
  "open a call",
);
check(call.slug === slug, "the call is created with its slug");

// A user registers, verifies the address with the mailed token, and signs in.
const email = `ts-${run}@example.org`;
const password = "a long and unusual passphrase";
const registered = expect(
  await api.POST("/api/v1/auth/register", {
    body: { email, password, display_name: "Amina Diallo", language: "fr" },
  }),
  "register",
);
check(registered.next === "verify_email", "registration asks for the address to be verified");
const verified = expect(
  await api.POST("/api/v1/auth/verify-email", { body: { token: mailedToken(env("WSIS_OUTBOX"), email) } }),
  "verify the address",
);
check(verified.email_verified, "the address is verified");
const user = await signIn(email, password);

// The user's organisation drafts a pledge and submits it.
const organisation = expect(
  await api.POST("/api/v1/organisations", {
    headers: bearer(user),
    body: { name: `Digital Rights Collective ${run}`, stakeholder_category: "civil_society", country: "SN" },
  }),
  "create an organisation",
);
const pledge: components["schemas"]["TrustFundPledge"] = {
  kind: "financial",
  amount: "2500",
  currency: "CHF",
  earmark: "Fellowships for civil society",
};
const draft = expect(
  await api.POST("/api/v1/submissions", {
    headers: bearer(user),
    body: { call: slug, track: "trust_fund", organisation_id: organisation.id, language: "en", content: pledge },
  }),
  "create a draft",
);
check(draft.status === "draft" && draft.receipt == null, "a new entry is a draft without a receipt");
const receipt = expect(
  await api.POST("/api/v1/submissions/{id}/submit", {
    headers: bearer(user),
    params: { path: { id: draft.id } },
  }),
  "submit",
);
check(receipt.number === `${slug.toUpperCase()}-TF-000001`, `the track's first receipt number (${receipt.number})`);
check(receipt.submission_id === draft.id && receipt.track === "trust_fund", "the receipt is the entry's");
const submitted = expect(
  await api.GET("/api/v1/submissions/{id}", { headers: bearer(user), params: { path: { id: draft.id } } }),
  "read the entry back",
);
check(submitted.status === "submitted" && submitted.receipt?.number === receipt.number, "the entry is submitted");

// Anyone reads and searches the public repository; the items are typed projects, the pages follow their cursor.
const first = expect(
  await api.GET("/api/v1/stocktaking/projects", { params: { query: { limit: 5, sort: "title" } } }),
  "list the repository",
);
check(first.items.length === 5 && typeof first.next_cursor === "string", "a first page of five, with a next one");
const second = expect(
  await api.GET("/api/v1/stocktaking/projects", {
    params: { query: { limit: 5, sort: "title", cursor: first.next_cursor ?? "" } },
  }),
  "the next page",
);
check(second.items.every((p) => !first.items.some((q) => q.id === p.id)), "the next page holds other projects");
const word = first.items[0]?.title.split(" ")[0] ?? "";
const page = expect(
  await api.GET("/api/v1/stocktaking/projects", { params: { query: { q: word, limit: 10 } } }),
  "search the repository",
);
check(page.items.length > 0, `the search for "${word}" finds its project`);
for (const project of page.items) {
  check(project.title.length > 0 && project.organisation.name.length > 0, "a project with its organisation");
}

// The 2025 call's tracks are closed: a draft there is refused, and the problem is typed.
const late = await api.POST("/api/v1/submissions", {
  headers: bearer(user),
  body: { call: "wsis-2025", track: "trust_fund", organisation_id: organisation.id, language: "en", content: pledge },
});
check(late.data === undefined && late.response.status === 409, `a draft on a closed track is 409 (${late.response.status})`);
const problem = late.error;
check(problem?.code === "deadline_passed", `the problem is deadline_passed (${JSON.stringify(problem)})`);
const deadline = problem?.deadline;
check(deadline !== undefined && Date.parse(deadline.effective_closes_at) < Date.now(), "its deadline is in the past");
check(problem?.request_id === late.response.headers.get("x-request-id"), "the problem names its request id");

console.log(
  `typescript client: receipt ${receipt.number}, ${page.items.length} projects found, ` +
    `late draft refused (deadline ${deadline?.effective_closes_at_local ?? "?"})`,
);
