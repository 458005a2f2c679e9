# Problem details and field messages in Russian. See en.ftl (the reference) and docs/messages.md.

## The server's own answers.
fields-invalid = { $count ->
    [one] { $count } поле заполнено неверно; см. `errors`.
    [few] { $count } поля заполнены неверно; см. `errors`.
   *[many] { $count } полей заполнены неверно; см. `errors`.
}
field-with-message = `{ $field }`: { $message }
internal-error = Сервер не смог ответить на этот запрос; ошибка записана в журнал.
database-unavailable = Сервис сейчас не может подключиться к своей базе данных; повторите попытку чуть позже.
starting = Сервис запускается: его база данных ещё не готова; повторите попытку чуть позже.
busy-hashing = Сейчас обрабатывается слишком много входов и регистраций; повторите попытку через мгновение.
resource-missing = Такого ресурса не существует.
status-refused = Запрос отклонён со статусом { $status } (`{ $code }`).

## The request: its body, its path, its method.
body-unreadable = Не удалось прочитать тело запроса.
body-too-large = Тело запроса превышает предел в { $limit } байт.
body-not-json = Тело запроса должно быть в формате JSON и отправляться с `Content-Type: application/json`.
body-form-or-json = Отправьте тело запроса как application/x-www-form-urlencoded или application/json.
json-empty = Тело запроса пусто: это не корректный JSON (строка 1, столбец 0).
json-invalid = { $what }: тело запроса не является корректным JSON (строка { $line }, столбец { $column }).
not-found-path = По адресу `{ $path }` нет ресурса.
not-found-route = По этому пути нет ресурса; справочник API — на /docs.
method-not-allowed-on = Метод `{ $method }` не разрешён для `{ $path }`.
method-not-allowed = Метод `{ $method }` не разрешён для `{ $path }`; разрешены: { $allowed }.
not-found-docs-file = В интерфейсе справочника API нет такого файла.
not-found-problem-type = Такого типа проблемы нет; см. документ OpenAPI.

## Signing in, tokens, and who may do what. `action-*` completes `refused-sign-in-to` and `refused-staff-only`.
refused-role = Ваша роль не позволяет это сделать.
refused-sign-in = Войдите: для этой операции нужен токен доступа.
refused-sign-in-submissions = Войдите: для работы с заявками нужен токен доступа.
refused-sign-in-to = Войдите, чтобы { $action }.
refused-staff-only = Только сотрудники могут { $action }.
refused-sign-in-user = Войдите: для этой операции нужен токен доступа пользователя.
refused-clients-no-account = Эта операция — для пользователей; у клиентов API нет учётной записи.
refused-clients-cannot = Клиенты API не могут этого сделать; войдите как пользователь.
refused-drafts-staff = Черновики в статистике видят только сотрудники.
refused-sign-in-exports = Войдите: для выгрузки нужен токен доступа.
refused-exports = Выгрузка доступна сотрудникам и партнёрам с областью exports:read.
action-create-calls = создавать призывы
action-change-window = изменять сроки направления
action-decide = принимать решения по заявкам
action-move-pledges = продвигать обязательства по взносам
action-record-awards = записывать присуждённые премии
action-grant-extensions = предоставлять продления
action-see-extensions = просматривать продления
action-list-users = просматривать список пользователей
action-grant-roles = назначать роли
action-withdraw-roles = отзывать роли
action-delete-users = удалять пользователей
action-create-clients = создавать клиентов API
action-list-clients = просматривать список клиентов API
action-read-clients = просматривать клиентов API
action-rotate-secrets = обновлять секреты клиентов API
action-revoke-clients = отзывать клиентов API
token-header-unreadable = Заголовок Authorization не удаётся прочитать.
token-use-bearer = Используйте `Authorization: Bearer <токен доступа>`.
token-invalid-or-expired = Токен доступа недействителен или истёк; войдите снова.
token-session-ended = Сеанс этого токена завершён; войдите снова.
grant-wrong-password = Неверный адрес электронной почты или пароль.
grant-refresh-reused = Токен обновления уже использован; сеанс отозван, войдите снова.
grant-refresh-invalid = Токен обновления неизвестен, истёк или отозван.
grant-wrong-client = Неизвестный клиент или неверный секрет.
grant-parameter-required = Для этого типа разрешения требуется `{ $name }`.
grant-client-credentials = Укажите `client_id` и `client_secret` или учётные данные HTTP Basic.
grant-type-unsupported = `{ $given }` не поддерживается; используйте password, refresh_token или client_credentials.

## What does not exist (404).
not-found-track = Направления `{ $track }` не существует.
not-found-call = Призыва `{ $slug }` не существует.
not-found-track-of-call = У призыва `{ $slug }` нет направления `{ $kind }`.
not-found-submission = Заявки `{ $id }` не существует.
not-found-membership = Такой организации нет, или вы не её участник.
not-found-call-or-organisation = Такого призыва или организации нет.
not-found-beneficiary = Такой организации или заявки в этом направлении нет.
not-found-organisation = Организации `{ $id }` не существует.
not-found-member = `{ $user }` не является участником.
not-found-user = Пользователя `{ $id }` не существует.
not-found-client = Клиента API `{ $id }` не существует.
not-found-track-kinds = У призыва `{ $slug }` нет направления `{ $track }`; направления: ocp, stocktaking, prizes и trust_fund.
not-found-project = Такого проекта в открытом реестре нет.
not-found-receipt-never-submitted = У этой заявки нет квитанции: она так и не была подана.
not-found-receipt = Квитанции с таким кодом проверки нет.

## Versions (412, 428) and repeated requests. `thing-*` completes `changed-meanwhile`.
changed-submission-meanwhile = Заявка тем временем изменилась; загрузите её заново.
changed-submission = Заявка изменилась после того, как вы её получили; загрузите её заново.
changed-submission-while-submitting = Заявка изменилась во время подачи; загрузите её заново.
precondition-submission = Передайте `If-Match` с текущим `ETag` заявки.
changed-meanwhile = Данные ({ $what }) тем временем изменились; загрузите их заново.
precondition-organisation = Передайте `If-Match` с текущим `ETag` организации.
changed-organisation = Организация изменилась после того, как вы её получили; загрузите её заново.
thing-submission = заявка
thing-pledge = обязательство по взносу
thing-nomination = номинация
idempotency-in-flight = Запрос с этим Idempotency-Key ещё обрабатывается; повторите попытку чуть позже.

## The lifecycle of a submission, and its deadlines (409).
refused-transition = к заявке в состоянии `{ $from }` нельзя применить `{ $transition }`.
refused-editors-change = Изменять заявки организации могут только её владельцы и редакторы.
refused-verify-to-submit = Подтвердите адрес электронной почты, прежде чем подавать заявку.
refused-editors-contribute = Подавать материалы от имени организации могут только её владельцы и редакторы.
refused-change-status = Заявку в состоянии `{ $status }` нельзя изменить.
refused-delete-submitted = Удаляются только черновики; поданную заявку можно отозвать.
refused-people-act = Действовать от имени организаций могут только люди.
refused-people-create = Создавать организации могут только люди.
refused-people-join = Вступать в организации могут только люди.
refused-verify-to-join = Подтвердите адрес электронной почты, прежде чем принимать приглашение.
refused-pledge-order = Обязательство проходит этапы pledged → confirmed → received; это обязательство в состоянии `{ $status }`.
refused-pledge-not-submitted = Обязательство проходит этапы pledged → confirmed → received; это обязательство не подано.
refused-award-not-accepted = Премии получают только принятые номинации; эта в состоянии `{ $status }`.
deadline-not-open = Направление `{ $kind }` открывается { $opens }.
deadline-was = Срок истёк { $deadline } ({ $local }); сервер получил этот запрос { $received }.
deadline-closed = Направление `{ $kind }` закрылось { $closed }.

## Conflicts, owners, one-time links and limits.
token-link-invalid = Ссылка неизвестна, уже использована или истекла; запросите новую.
last-owner = У организации должен остаться хотя бы один владелец; сначала сделайте владельцем кого-то другого.
token-invitation-invalid = Приглашение неизвестно, уже использовано, истекло или адресовано другому адресу электронной почты.
rate-limited-invitations = Слишком много приглашений: этот адрес или эта учётная запись исчерпали лимит на этот час.
last-owner-of = Этот пользователь — последний владелец: { $organisations }; сначала сделайте владельцем кого-то другого.
rate-limited-passwords = Слишком много неудачных попыток ввода пароля; подождите, прежде чем пытаться снова.
conflict-call-exists = Призыв `{ $slug }` уже существует.
conflict-one-per-category = Одна номинация от организации в каждой категории каждого призыва.
conflict-nominated-once = Проект номинируется только один раз в каждом призыве.
conflict-same-identifier = Ресурс с таким идентификатором уже существует.

## Field messages: `field-<code>` is a rule's standard message; the others explain one rule each.
field-invalid_length = от { $min } до { $max } символов
field-forbidden_character = символ { $character } (управляющий символ или символ смены направления текста) в имени недопустим
field-undeliverable = на этот адрес нельзя отправить письмо
field-too_short = используйте не менее { $min } символов
field-too_long = используйте не более { $max } символов
field-too_repetitive = используйте больше разных символов
field-too_common = этот пароль слишком распространён
field-contains_email = не включайте адрес электронной почты в пароль
field-invalid_url = адрес, начинающийся с http:// или https://
field-required = отсутствует поле `{ $name }`
field-at-least-one-action-line = хотя бы одно направление деятельности
field-at-least-one-sdg = хотя бы одна ЦУР
field-at-least-one-country = хотя бы одна страна или global
field-at-least-one-language = хотя бы один язык
field-global-alone = глобальный охват (global) указывается отдельно, без стран
field-end-before-start = дата окончания раньше даты начала
field-ocp-at-least-one-part = хотя бы одна часть: innovative_ideas, sdg_alignment, action_line_feedback или session_proposals
field-feedback-twice = отзыв об этом направлении деятельности дан дважды
field-stakeholder-balance = все докладчики представляют одну группу заинтересованных сторон; мероприятие отдаёт предпочтение панелям с участием разных сторон
field-gender-balance = все докладчики одного пола
field-prizes-english-only = номинации на премии ВВУИО подаются только на английском языке
field-listed-twice = указано дважды
field-not-valid = { $what }: значение `{ $given }` недопустимо; ожидается { $expected }
field-unknown-field = неизвестное поле `{ $name }`; ожидается одно из: { $expected }
field-unknown-field-none = неизвестное поле `{ $name }`; здесь не ожидается ни одного поля
field-invalid-type = недопустимый тип: { $found }; ожидается { $expected }
field-invalid-value-of = недопустимое значение: { $found }; ожидается { $expected }
field-invalid-length-of = недопустимая длина: { $found }; ожидается { $expected }
field-unknown-variant = неизвестное значение { $given }; ожидается одно из: { $expected }
field-invalid = недопустимое значение: { $reason }
field-project-nominated = номинируемый проект из реестра (stocktaking)
field-prize-category = категория премии: число от 1 до 18
field-short-description-words = от 150 до 200 слов; в этом тексте слов: { $words }
field-pledge-amount = в финансовом обязательстве указывается сумма
field-pledge-currency = в финансовом обязательстве указывается валюта
field-pledge-in-kind = в обязательстве в натуральной форме указывается, что предоставляется
field-pledge-kind = financial или in_kind
field-amount-not-decimal = `{ $given }` — не десятичная сумма вида 2500.00
field-amount-too-precise = у валюты { $currency } знаков после запятой: { $minor_units }; в `{ $amount }` их больше
field-amount-not-positive = сумма должна быть больше нуля
field-amount-too-large = сумма слишком велика
field-conflicting-filters = фильтруйте по стране или по региону, но не одновременно
field-needs-q = сортировка по релевантности упорядочивает результаты поиска: добавьте q или сортируйте по newest или title
field-unknown-time-zone = `{ $given }` — не название часового пояса IANA
field-not-eligible = номинируйте один из поданных вашей организацией проектов реестра (stocktaking)
field-previous-winner = этот проект получил премию ВВУИО в { $call }; прежние победители к участию не допускаются
field-at-most-characters = не более { $max } символов
field-pledge-status = confirmed или received: любое обязательство начинается с pledged
field-slug-taken = этот идентификатор уже занят другим призывом
field-one-beneficiary = укажите organisation_id или submission_id, но не оба
field-extension-not-later = продление должно заканчиваться позже собственного срока направления
field-at-least-one-scope = хотя бы одна область
field-one-per-category = у вашей организации уже есть номинация в этой категории
field-already-nominated = этот проект уже номинирован в этом призыве
field-give-once = укажите `{ $name }` только один раз
field-not-a-language = `{ $given }` — не один из языков ar, zh, en, fr, ru, es
field-unknown-time-zone-such-as = `{ $given }` — не название часового пояса IANA (например, Europe/Zurich)
field-idempotency-key = от 1 до 255 печатных символов ASCII (хорошо подходит UUID)
field-key-reused = этот ключ уже использован с другим запросом; для нового запроса нужен новый ключ
field-forbidden-in-query = символ { $character } недопустим в параметре запроса
field-nul = символ NUL (U+0000) недопустим
field-password-incorrect = текущий пароль неверен
field-decisions-count = от 1 до 100 решений
field-check-code = check_code квитанции в том виде, в каком он в ней указан
field-cursor = это не курсор, выданный этим API для такой сортировки; начните заново без него
field-no-call = призыва `{ $slug }` не существует
field-one-value = этот параметр принимает только одно значение
field-project-status = planned, ongoing или completed
field-organisation-id = идентификатор организации (UUID)
field-rfc3339 = время в формате RFC 3339, например 2025-03-14T00:00:00Z
field-limit = от 1 до 200
field-year = год, например 2025
field-unknown-parameter = допустимые параметры: { $known }, lang
field-export-format = csv, json (один массив) или jsonl (JSON Lines)

## The names of things (`what-*`) and what is expected of them (`expected-*`), which complete `field-not-valid`.
what-stakeholder-category = категория заинтересованной стороны
what-region = регион
what-track = направление
what-SDG = ЦУР
what-prize-category = категория премии
what-sort-order = порядок сортировки
what-member-role = роль участника
what-role = роль
what-scope = область
what-status = состояние
what-transition = переход
what-decision = решение
what-pledge-status = состояние обязательства
what-prize-award = присуждённая премия
what-coverage-level = уровень охвата
what-project-status = состояние проекта
what-gender = пол
what-pledge-kind = вид обязательства
what-country = страна
what-currency = валюта
what-action-line = направление деятельности
what-e-mail-address = адрес электронной почты
what-language = язык
expected-one-of = одно из значений { $codes }
expected-number-up-to = число от 1 до { $max }
expected-country = код ISO 3166-1 alpha-2, например CH, или global
expected-currency = код ISO 4217 действующей валюты, например CHF
expected-action-line = код направления деятельности, например C3 или C7.e-health
expected-granted-scope = одна из областей, предоставленных этому клиенту
expected-email = адрес вида name@example.org

## Calls, time rules and track windows.
rule-nonexistent-time = { $at } не существует в поясе { $zone }: часы пропускают это время (переход на летнее время); укажите точный момент
rule-out-of-range = дата { $date } вне поддерживаемого диапазона
schedule-opens = открытие: { $reason }
schedule-closes = закрытие: { $reason }
schedule-reversed = период должен открываться раньше, чем закрываться (открытие { $opens_at }, закрытие { $closes_at })
schedule-grace-too-long = льготный период { $seconds } с превышает максимум в { $max } с
call-slug = от 3 до 64 символов: a-z, 0-9 и дефисы внутри
call-year = год от 2000 до 2100
call-event-ends-before = мероприятие не может закончиться раньше, чем начнётся
call-needs-track = у призыва должно быть хотя бы одно направление
call-session-format-code = от 2 до 40 символов: a-z, 0-9 и _, начиная с буквы
call-format-twice = `{ $format }` указан дважды
call-too-many-formats = не более { $max } форматов сессий
call-ocp-needs-format = призыв с направлением OCP предлагает хотя бы один формат сессий
call-second-track = второе направление `{ $kind }`
