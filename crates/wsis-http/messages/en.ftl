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
