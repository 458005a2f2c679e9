-- A full-text index of the public repository alone (accepted stocktaking entries): a public search names the track
-- and status as literals, so the planner reads this smaller index and finds public matches only, instead of every
-- draft, other track and entry under review that `submissions_search_vector_idx` (kept for staff listings) holds.
-- SQLite has the same split (`repository_fts`).
CREATE INDEX submissions_public_search_idx ON submissions USING gin (search_vector)
    WHERE track_kind = 'stocktaking' AND status = 'accepted';
