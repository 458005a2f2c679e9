# Problem details and field messages in Russian. See en.ftl and docs/messages.md.

fields-invalid = { $count ->
    [one] { $count } поле заполнено неверно; см. `errors`.
    [few] { $count } поля заполнены неверно; см. `errors`.
   *[many] { $count } полей заполнены неверно; см. `errors`.
}
internal-error = Сервер не смог ответить на этот запрос; ошибка записана в журнал.
database-unavailable = Сервис сейчас не может подключиться к своей базе данных; повторите попытку чуть позже.
resource-missing = Такого ресурса не существует.
body-unreadable = Не удалось прочитать тело запроса.

field-invalid_length = от { $min } до { $max } символов
field-forbidden_character = символ { $character } (управляющий символ или символ смены направления текста) в имени недопустим
field-invalid_email = адрес электронной почты `{ $given }` недействителен: ожидается адрес вида name@example.org
field-undeliverable = на этот адрес нельзя отправить письмо
field-unsupported_language = язык `{ $given }` недопустим: ожидается один из ar, zh, en, fr, ru, es
field-too_short = используйте не менее { $min } символов
field-too_long = используйте не более { $max } символов
field-too_repetitive = используйте больше разных символов
field-too_common = этот пароль слишком распространён
field-contains_email = не включайте адрес электронной почты в пароль
field-invalid_url = адрес, начинающийся с http:// или https://
field-required = отсутствует поле `{ $name }`
