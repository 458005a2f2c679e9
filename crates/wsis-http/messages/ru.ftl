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
