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
field-invalid_email = e-mail address `{ $given }` is not valid: expected an address such as name@example.org
field-undeliverable = mail cannot be sent to this address
field-unsupported_language = language `{ $given }` is not valid: expected one of ar, zh, en, fr, ru, es
field-too_short = use at least { $min } characters
field-too_long = use at most { $max } characters
field-too_repetitive = use more than a few distinct characters
field-too_common = this password is too well known
field-contains_email = do not put your e-mail address in your password
field-invalid_url = an http:// or https:// address
field-required = missing field `{ $name }`
