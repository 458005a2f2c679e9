"""What a partner agency does with the API, through the client that openapi-python-client generates from the
contract, unchanged: staff register the agency as an API client; the agency gets a token by client credentials, pages
through `GET /submissions` getting `Submission` objects (typed content, datetimes, enums), and reads a 422 problem
with its field errors. Exits non-zero at the first thing that is not as the contract says.

Environment: WSIS_BASE (the server), WSIS_STAFF_EMAIL and WSIS_STAFF_PASSWORD (a staff account). The generated
package `wsis_contributions_api_client` must be importable.
"""

import datetime
import os
import sys

from wsis_contributions_api_client import AuthenticatedClient, Client
from wsis_contributions_api_client.api.admin import create_api_client
from wsis_contributions_api_client.api.identity import create_token
from wsis_contributions_api_client.api.submissions import list_submissions
from wsis_contributions_api_client.models import (
    ApiClientWithSecret,
    GrantType,
    NewApiClientRequest,
    PageSubmission,
    Problem,
    ProblemCode,
    Scope,
    Submission,
    SubmissionStatus,
    TokenRequest,
    TokenResponse,
    TrackKind,
)
from wsis_contributions_api_client.types import Unset


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"not as the contract says: {what}")


base = os.environ["WSIS_BASE"]
anonymous = Client(base_url=base, raise_on_unexpected_status=True)


def token(body: TokenRequest) -> str:
    answer = create_token.sync_detailed(client=anonymous, body=body)
    check(isinstance(answer.parsed, TokenResponse), f"a token ({answer.status_code} {answer.content!r})")
    assert isinstance(answer.parsed, TokenResponse)
    return answer.parsed.access_token


# Staff register the agency's client, limited to reading submissions.
staff = AuthenticatedClient(
    base_url=base,
    token=token(
        TokenRequest(
            grant_type=GrantType.PASSWORD,
            username=os.environ["WSIS_STAFF_EMAIL"],
            password=os.environ["WSIS_STAFF_PASSWORD"],
        )
    ),
    raise_on_unexpected_status=True,
)
created = create_api_client.sync_detailed(
    client=staff,
    body=NewApiClientRequest(name="UNESCO knowledge portal", agency="UNESCO", scopes=[Scope.SUBMISSIONSREAD]),
)
check(isinstance(created.parsed, ApiClientWithSecret), f"an API client ({created.status_code} {created.content!r})")
assert isinstance(created.parsed, ApiClientWithSecret)
registration = created.parsed

# The agency signs in by client credentials, then pages through every submitted entry.
partner = AuthenticatedClient(
    base_url=base,
    token=token(
        TokenRequest(
            grant_type=GrantType.CLIENT_CREDENTIALS,
            client_id=registration.client.client_id,
            client_secret=registration.client_secret,
            scope="submissions:read",
        )
    ),
    raise_on_unexpected_status=True,
)
seen: list[Submission] = []
cursor: str | Unset | None = None
while True:
    kwargs = {} if cursor is None or isinstance(cursor, Unset) else {"cursor": cursor}
    page = list_submissions.sync_detailed(client=partner, limit=7, **kwargs)
    check(isinstance(page.parsed, PageSubmission), f"a page ({page.status_code} {page.content!r})")
    assert isinstance(page.parsed, PageSubmission)
    seen.extend(page.parsed.items)
    cursor = page.parsed.next_cursor
    if cursor is None or isinstance(cursor, Unset):
        break
check(len(seen) > 7, f"more than one page of entries ({len(seen)})")
check(len({s.id for s in seen}) == len(seen), "no entry twice across pages")
for entry in seen:
    check(isinstance(entry, Submission), "items are Submission objects")
    check(isinstance(entry.created_at, datetime.datetime) and entry.created_at.tzinfo is not None, "times are datetimes")
    check(isinstance(entry.track, TrackKind) and isinstance(entry.status, SubmissionStatus), "vocabularies are enums")
    check(entry.status != SubmissionStatus.DRAFT, "a partner never sees a draft")

# A bad filter is a 422 problem naming the parameter and its rule.
refused = list_submissions.sync_detailed(client=partner, limit=500)
check(refused.status_code == 422, f"a limit of 500 is refused ({refused.status_code})")
problem = refused.parsed
check(isinstance(problem, Problem), "the refusal is a Problem")
assert isinstance(problem, Problem)
check(problem.code == ProblemCode.VALIDATION_FAILED, f"validation_failed ({problem.code})")
errors = [] if isinstance(problem.errors, Unset) else problem.errors
check([(e.field, e.code) for e in errors] == [("limit", "out_of_range")], f"the field error ({problem.to_dict()})")

tracks = sorted({entry.track.value for entry in seen})
print(f"python client: {len(seen)} submissions read by client credentials ({', '.join(tracks)}); 422 {errors[0].field}")
