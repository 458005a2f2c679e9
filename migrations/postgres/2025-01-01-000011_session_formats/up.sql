-- The session formats an OCP session proposal may take are the call's data (each year's event offers its own), a
-- JSON array of snake_case codes. Calls stored before keep every format they accepted until now (the five the code
-- fixed) and gain the 2025 event's, so no draft becomes invalid and the 2025 formats can be used.
ALTER TABLE calls ADD COLUMN session_formats TEXT NOT NULL DEFAULT '[]';
UPDATE calls SET session_formats = '["interactive_session","action_line_facilitation_meeting","knowledge_cafe","workshop","high_level_dialogue","country_workshop","exhibition_space","panel","other"]';
