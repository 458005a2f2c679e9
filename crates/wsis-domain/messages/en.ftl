# Problem details and field messages in English: the reference catalogue. Every message here exists, with the
# same arguments, in ar.ftl, zh.ftl, fr.ftl, ru.ftl and es.ftl (a test checks it). See docs/messages.md.

# A 422 with several invalid fields ($count >= 2).
fields-invalid = { $count } fields are invalid; see `errors`.
# A 500.
internal-error = The server failed to answer this request; it has been logged.
# A 503 when the database cannot be reached.
database-unavailable = The service cannot reach its database right now; retry shortly.
# A 404 for a resource that does not exist.
resource-missing = The resource does not exist.
# A 400 for a body that could not be read.
body-unreadable = The request's body could not be read.

# Field messages: the standard message of a field rule, `field-<code>` (docs/messages.md).
field-invalid_length = { $min } to { $max } characters
field-forbidden_character = { $character } (a control character or a bidirectional override) is not allowed in a name
field-undeliverable = mail cannot be sent to this address
field-too_short = use at least { $min } characters
field-too_long = use at most { $max } characters
field-too_repetitive = use more than a few distinct characters
field-too_common = this password is too well known
field-contains_email = do not put your e-mail address in your password
field-invalid_url = an http:// or https:// address
field-required = missing field `{ $name }`

# The names of the things a value can be given for (in a message: `{ $what } ... is not valid`).
what-stakeholder-category = stakeholder category
what-region = region
what-track = track
what-SDG = SDG
what-prize-category = prize category
what-sort-order = sort order
what-member-role = member role
what-role = role
what-scope = scope
what-status = status
what-transition = transition
what-decision = decision
what-pledge-status = pledge status
what-prize-award = prize award
what-coverage-level = coverage level
what-project-status = project status
what-gender = gender
what-pledge-kind = pledge kind
what-country = country
what-currency = currency
what-action-line = action line
what-e-mail-address = e-mail address
what-language = language

# What is expected of a value.
expected-one-of = one of { $codes }
expected-number-up-to = a number from 1 to { $max }
expected-country = an ISO 3166-1 alpha-2 code such as CH, or global
expected-currency = an ISO 4217 code of a currency in use, such as CHF
expected-action-line = an action line code such as C3 or C7.e-health
expected-granted-scope = one of the scopes granted to this client
expected-email = an address such as name@example.org

# Field messages.
field-at-least-one-action-line = at least one action line
field-at-least-one-sdg = at least one SDG
field-at-least-one-country = at least one country, or global
field-at-least-one-language = at least one language
field-global-alone = global coverage is given alone, without countries
field-end-before-start = the end date is before the start date
field-ocp-at-least-one-part = at least one part: innovative_ideas, sdg_alignment, action_line_feedback or session_proposals
field-feedback-twice = feedback on this action line is given twice
field-stakeholder-balance = every speaker comes from the same stakeholder group; the event favours multistakeholder panels
field-gender-balance = every speaker has the same gender
field-prizes-english-only = WSIS Prizes nominations are in English only
field-listed-twice = listed twice
field-not-valid = { $what } `{ $given }` is not valid: expected { $expected }
field-unknown-field = unknown field `{ $name }`, expected { $expected }
field-unknown-field-none = unknown field `{ $name }`, there are no fields
field-invalid-type = invalid type: { $found }, expected { $expected }
field-invalid-value-of = invalid value: { $found }, expected { $expected }
field-invalid-length-of = invalid length { $found }, expected { $expected }
field-unknown-variant = unknown variant { $given }, expected { $expected }
field-invalid = { $reason }
field-project-nominated = the stocktaking project nominated
field-prize-category = prize category: a number from 1 to 18
field-short-description-words = 150 to 200 words; this has { $words }
field-pledge-amount = a financial pledge has an amount
field-pledge-currency = a financial pledge has a currency
field-pledge-in-kind = an in-kind pledge says what is given
field-pledge-kind = financial or in_kind
field-amount-not-decimal = `{ $given }` is not a decimal amount such as 2500.00
field-amount-too-precise = { $currency } has { $minor_units } decimal places; `{ $amount }` has more
field-amount-not-positive = the amount must be greater than zero
field-amount-too-large = the amount is too large
field-conflicting-filters = filter by country or by region, not both
field-needs-q = relevance ranks the matches of a search: add q, or sort by newest or title

# Time rules and track windows.
rule-nonexistent-time = { $at } does not exist in { $zone }: the clocks skip it (daylight saving time); give an exact instant instead
rule-out-of-range = { $date } is outside the supported range of dates
schedule-opens = opens: { $reason }
schedule-closes = closes: { $reason }
schedule-reversed = the window must open before it closes (opens { $opens_at }, closes { $closes_at })
schedule-grace-too-long = grace period of { $seconds } s is longer than the maximum of { $max } s

# A call definition.
call-slug = 3 to 64 characters of a-z, 0-9 and inner hyphens
call-year = a year from 2000 to 2100
call-event-ends-before = the event cannot end before it starts
call-needs-track = a call needs at least one track
call-session-format-code = 2 to 40 characters of a-z, 0-9 and _, starting with a letter
call-format-twice = `{ $format }` twice
call-too-many-formats = at most { $max } session formats
call-ocp-needs-format = a call with an OCP track offers at least one session format
call-second-track = a second `{ $kind }` track

# Refusals.
refused-transition = a { $from } submission cannot be sent `{ $transition }`.

# Field messages.
field-unknown-time-zone = `{ $given }` is not an IANA time zone name
field-not-eligible = nominate one of your organisation's submitted stocktaking projects
field-previous-winner = this project won a WSIS Prize in { $call }; previous winners are not eligible
field-at-most-characters = at most { $max } characters
field-pledge-status = confirmed or received: every pledge starts as pledged
field-slug-taken = another call has this slug
field-one-beneficiary = give organisation_id or submission_id, not both
field-extension-not-later = an extension ends after the track's own deadline
field-at-least-one-scope = at least one scope
field-one-per-category = your organisation already has a nomination in this category
field-already-nominated = this project is already nominated in this call
field-with-message = `{ $field }`: { $message }
field-give-once = give `{ $name }` once
field-not-a-language = `{ $given }` is not one of ar, zh, en, fr, ru, es
field-unknown-time-zone-such-as = `{ $given }` is not an IANA time zone name such as Europe/Zurich
field-idempotency-key = 1 to 255 printable ASCII characters (a UUID is a good choice)
field-key-reused = this key was used with a different request; use a new key for a new request
field-forbidden-in-query = { $character } is not allowed in a query parameter
field-nul = a NUL character (U+0000) is not allowed
field-password-incorrect = the current password is not right
field-decisions-count = 1 to 100 decisions
field-check-code = the receipt's check_code, as the receipt gives it
field-cursor = not a cursor this API gave for this sort; start again without it
field-no-call = there is no call `{ $slug }`
field-one-value = this parameter takes one value
field-project-status = planned, ongoing or completed
field-organisation-id = an organisation id (a UUID)
field-rfc3339 = an RFC 3339 time such as 2025-03-14T00:00:00Z
field-limit = 1 to 200
field-year = a year such as 2025
field-unknown-parameter = parameters are { $known }, lang

# Refusals.
refused-role = Your role does not allow this.
refused-sign-in = Sign in: this operation needs an access token.
refused-sign-in-submissions = Sign in: submissions need an access token.
refused-editors-change = Only owners and editors of the organisation change its submissions.
refused-verify-to-submit = Verify your e-mail address before submitting.
refused-editors-contribute = Only owners and editors of the organisation contribute for it.
refused-change-status = A { $status } submission cannot be changed.
refused-delete-submitted = Only drafts are deleted; withdraw a submitted entry instead.
refused-sign-in-to = Sign in to { $action }.
refused-staff-only = Only staff { $action }.
refused-sign-in-user = Sign in: this operation needs a user access token.
refused-clients-no-account = This operation is for users; API clients have no account.
refused-people-act = Only people act for organisations.
refused-people-create = Only people create organisations.
refused-people-join = Only people join organisations.
refused-verify-to-join = Verify your e-mail address before accepting an invitation.
refused-pledge-order = A pledge moves pledged → confirmed → received; this one is { $status }.
refused-pledge-not-submitted = A pledge moves pledged → confirmed → received; this one is not submitted.
refused-award-not-accepted = Only accepted nominations receive awards; this one is { $status }.
refused-clients-cannot = API clients cannot do this; sign in as a user.
refused-drafts-staff = Only staff see drafts in statistics.
refused-sign-in-exports = Sign in: exports need an access token.
refused-exports = Exports are for staff and for partners with the exports:read scope.

# Other messages.
not-found-track = There is no track `{ $track }`.
not-found-call = There is no call `{ $slug }`.
not-found-track-of-call = Call `{ $slug }` has no `{ $kind }` track.
changed-submission-meanwhile = The submission changed meanwhile; fetch it again.
not-found-submission = There is no submission `{ $id }`.
deadline-not-open = The { $kind } track opens at { $opens }.
deadline-was = The deadline was { $deadline } ({ $local }); the server received this at { $received }.
deadline-closed = The { $kind } track closed at { $closed }.
changed-submission = The submission changed since your copy; fetch it again.
changed-submission-while-submitting = The submission changed while submitting; fetch it again.
not-found-membership = There is no such organisation, or you are not a member.
not-found-call-or-organisation = There is no such call or organisation.
precondition-submission = Send `If-Match` with the submission's current `ETag`.
changed-meanwhile = The { $what } changed meanwhile; fetch it again.
token-link-invalid = The link is unknown, already used or expired; ask for a new one.
not-found-beneficiary = There is no such organisation or submission on this track.
not-found-organisation = There is no organisation `{ $id }`.
precondition-organisation = Send `If-Match` with the organisation's current `ETag`.
changed-organisation = The organisation changed since your copy; fetch it again.
not-found-member = `{ $user }` is not a member.
last-owner = An organisation keeps at least one owner; make someone else owner first.
token-invitation-invalid = This invitation is unknown, used, expired, or addressed to another e-mail address.
rate-limited-invitations = Too many invitations: this address, or this account, has had as many as it may this hour.
not-found-user = There is no user `{ $id }`.
last-owner-of = This user is the last owner of { $organisations }: make someone else owner first.
not-found-client = There is no API client `{ $id }`.
rate-limited-passwords = Too many failed password attempts; wait before trying again.
action-create-calls = create calls
action-change-window = change a track's window
action-decide = decide on submissions
action-move-pledges = move pledges forward
action-record-awards = record prize awards
action-grant-extensions = grant extensions
action-see-extensions = see extensions
action-list-users = list users
action-grant-roles = grant roles
action-withdraw-roles = withdraw roles
action-delete-users = delete users
action-create-clients = create API clients
action-list-clients = list API clients
action-read-clients = read API clients
action-rotate-secrets = rotate API client secrets
action-revoke-clients = revoke API clients
thing-submission = submission
thing-pledge = pledge
thing-nomination = nomination
conflict-call-exists = A call `{ $slug }` exists already.
conflict-one-per-category = One nomination per organisation per category per call.
conflict-nominated-once = A project is nominated once per call.
conflict-same-identifier = A resource with the same identifier already exists.
busy-hashing = Too many sign-ins and registrations are being processed right now; retry in a moment.
token-header-unreadable = The Authorization header is not readable.
token-use-bearer = Use `Authorization: Bearer <access token>`.
token-invalid-or-expired = The access token is invalid or expired; sign in again.
token-session-ended = The token's session has ended; sign in again.
idempotency-in-flight = A request with this Idempotency-Key is still being processed; retry shortly.
starting = The service is starting: its database is not ready yet; retry shortly.
not-found-path = No resource is at `{ $path }`.
method-not-allowed-on = `{ $method }` is not allowed on `{ $path }`.
status-refused = The request was refused with status { $status } (`{ $code }`).
body-too-large = The request body is larger than the limit of { $limit } bytes.
body-not-json = The request body must be JSON, sent with `Content-Type: application/json`.
body-form-or-json = Send the body as application/x-www-form-urlencoded or application/json.
json-empty = The body is empty: the body is not valid JSON (line 1, column 0).
json-invalid = { $what }: the body is not valid JSON (line { $line }, column { $column }).
not-found-docs-file = No such file in the API reference UI.
method-not-allowed = `{ $method }` is not allowed on `{ $path }`; allowed: { $allowed }.
not-found-route = No resource is at this path; see /docs for the API reference.
grant-wrong-password = The e-mail address or the password is wrong.
grant-refresh-reused = The refresh token was already used; the session is revoked, sign in again.
grant-refresh-invalid = The refresh token is unknown, expired or revoked.
grant-wrong-client = Unknown client or wrong secret.
grant-parameter-required = `{ $name }` is required for this grant type.
grant-client-credentials = Give `client_id` and `client_secret`, or HTTP Basic credentials.
grant-type-unsupported = `{ $given }` is not supported; use password, refresh_token or client_credentials.
not-found-track-kinds = Call `{ $slug }` has no track `{ $track }`; tracks are ocp, stocktaking, prizes and trust_fund.
not-found-problem-type = There is no such problem type; see the OpenAPI document.
not-found-project = There is no such project in the public repository.
not-found-receipt-never-submitted = This submission has no receipt: it was never submitted.
not-found-receipt = There is no such receipt with this check code.

# Field messages.
field-export-format = csv, json (one array) or jsonl (JSON Lines)
