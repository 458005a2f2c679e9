# Problem details and field messages in Spanish. See en.ftl and docs/messages.md.

fields-invalid = { $count } campos no son válidos; consulte `errors`.
internal-error = El servidor no pudo responder a esta solicitud; el error ha quedado registrado.
database-unavailable = El servicio no puede acceder a su base de datos en este momento; vuelva a intentarlo en breve.
resource-missing = El recurso no existe.
body-unreadable = No se pudo leer el cuerpo de la solicitud.

field-invalid_length = de { $min } a { $max } caracteres
field-forbidden_character = { $character } (un carácter de control o de anulación bidireccional) no se admite en un nombre
field-invalid_email = la dirección de correo electrónico `{ $given }` no es válida: se espera una dirección como name@example.org
field-undeliverable = no se puede enviar correo a esta dirección
field-unsupported_language = el idioma `{ $given }` no es válido: se espera uno de ar, zh, en, fr, ru, es
field-too_short = use al menos { $min } caracteres
field-too_long = use como máximo { $max } caracteres
field-too_repetitive = use más caracteres distintos
field-too_common = esta contraseña es demasiado conocida
field-contains_email = no incluya su dirección de correo electrónico en la contraseña
field-invalid_url = una dirección http:// o https://
field-required = falta el campo `{ $name }`
