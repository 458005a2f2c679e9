DROP TABLE oauth_codes;
DROP TABLE oauth_clients;
