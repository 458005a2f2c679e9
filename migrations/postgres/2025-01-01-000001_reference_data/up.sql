-- Reference vocabulary, labelled in the six UN languages. `labels` holds a JSON object {"ar","zh","en","fr","ru","es"}.
-- Rows are seeded by the application from its catalogue (`wsis migrate`), only where missing, so staff edits stay.
CREATE TABLE stakeholder_categories (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    labels TEXT NOT NULL
);

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    labels TEXT NOT NULL
);

CREATE TABLE countries (
    code TEXT PRIMARY KEY,
    alpha3 TEXT,
    numeric_code TEXT,
    region_code TEXT REFERENCES regions (code),
    labels TEXT NOT NULL
);
CREATE INDEX countries_region_code_idx ON countries (region_code);

CREATE TABLE action_lines (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    facilitators TEXT NOT NULL,
    labels TEXT NOT NULL
);

CREATE TABLE sdgs (
    number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 17),
    labels TEXT NOT NULL
);

CREATE TABLE prize_categories (
    number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 18),
    action_line_code TEXT NOT NULL REFERENCES action_lines (code),
    labels TEXT NOT NULL
);
CREATE INDEX prize_categories_action_line_code_idx ON prize_categories (action_line_code);

CREATE TABLE currencies (
    code TEXT PRIMARY KEY,
    numeric_code TEXT NOT NULL,
    minor_units INTEGER NOT NULL CHECK (minor_units BETWEEN 0 AND 4),
    labels TEXT NOT NULL
);

CREATE TABLE track_kinds (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    labels TEXT NOT NULL
);
