# Problem details and field messages in Spanish. See en.ftl and docs/messages.md.

fields-invalid = { $count } campos no son válidos; consulte `errors`.
internal-error = El servidor no pudo responder a esta solicitud; el error ha quedado registrado.
database-unavailable = El servicio no puede acceder a su base de datos en este momento; vuelva a intentarlo en breve.
resource-missing = El recurso no existe.
body-unreadable = No se pudo leer el cuerpo de la solicitud.
