-- WSIS Prize winners of the years before this system, recorded by staff (docs/prizes.md): a project that has won
-- before is not eligible again, also when it comes back as a new stocktaking entry of the same organisation.
-- `title_key` is the title folded for comparison (case, accents, punctuation and spacing do not matter).
CREATE TABLE prize_earlier_winners (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    category INTEGER REFERENCES prize_categories (number),
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    project_id TEXT REFERENCES submissions (id),
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX prize_earlier_winners_organisation_idx ON prize_earlier_winners (organisation_id, title_key);
CREATE INDEX prize_earlier_winners_project_idx ON prize_earlier_winners (project_id);
