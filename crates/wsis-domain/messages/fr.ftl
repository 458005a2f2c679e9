# Problem details and field messages in French. See en.ftl and docs/messages.md.

fields-invalid = { $count } champs ne sont pas valides ; voir `errors`.
internal-error = Le serveur n’a pas pu répondre à cette requête ; l’erreur a été consignée.
database-unavailable = Le service ne peut pas joindre sa base de données pour le moment ; réessayez sous peu.
resource-missing = Cette ressource n’existe pas.
body-unreadable = Le corps de la requête n’a pas pu être lu.

field-invalid_length = de { $min } à { $max } caractères
field-forbidden_character = { $character } (un caractère de contrôle ou de forçage bidirectionnel) n’est pas autorisé dans un nom
field-invalid_email = l’adresse électronique `{ $given }` n’est pas valide : une adresse telle que name@example.org est attendue
field-undeliverable = aucun courriel ne peut être envoyé à cette adresse
field-unsupported_language = la langue `{ $given }` n’est pas valide : ar, zh, en, fr, ru ou es est attendu
field-too_short = utilisez au moins { $min } caractères
field-too_long = utilisez au plus { $max } caractères
field-too_repetitive = utilisez davantage de caractères différents
field-too_common = ce mot de passe est trop connu
field-contains_email = ne mettez pas votre adresse électronique dans votre mot de passe
field-invalid_url = une adresse http:// ou https://
field-required = le champ `{ $name }` manque
