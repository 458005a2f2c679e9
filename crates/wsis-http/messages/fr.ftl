# Problem details and field messages in French. See en.ftl and docs/messages.md.

fields-invalid = { $count } champs ne sont pas valides ; voir `errors`.
internal-error = Le serveur n’a pas pu répondre à cette requête ; l’erreur a été consignée.
database-unavailable = Le service ne peut pas joindre sa base de données pour le moment ; réessayez sous peu.
resource-missing = Cette ressource n’existe pas.
body-unreadable = Le corps de la requête n’a pas pu être lu.
