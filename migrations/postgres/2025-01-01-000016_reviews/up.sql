-- The Expert Group's reviews (docs/prizes.md). A call's prizes rules (its review form's weighted criteria, whether
-- declared countries are conflicts of interest, whether running vote totals are public) are one JSON value of the
-- call: calls stored before get the defaults, the 2025 call its seven criteria.
ALTER TABLE calls ADD COLUMN prize_rules TEXT NOT NULL DEFAULT '{}';
UPDATE calls SET prize_rules = '{"review_criteria": [{"code": "results_impact", "name": {"ar": "النتائج والأثر", "zh": "成果与影响", "en": "Results and impact", "fr": "Résultats et impact", "ru": "Результаты и влияние", "es": "Resultados e impacto"}, "weight": 1, "max_score": 10}, {"code": "community_empowerment", "name": {"ar": "تمكين المجتمع", "zh": "社区赋权", "en": "Community empowerment", "fr": "Autonomisation des communautés", "ru": "Расширение прав и возможностей сообществ", "es": "Empoderamiento de la comunidad"}, "weight": 1, "max_score": 10}, {"code": "sdg_relevance", "name": {"ar": "الصلة بأهداف التنمية المستدامة", "zh": "与可持续发展目标的相关性", "en": "Relevance to the SDGs", "fr": "Pertinence pour les ODD", "ru": "Значимость для ЦУР", "es": "Pertinencia para los ODS"}, "weight": 1, "max_score": 10}, {"code": "replicability", "name": {"ar": "إمكانية التكرار", "zh": "可复制性", "en": "Potential for replication", "fr": "Potentiel de reproduction", "ru": "Возможность тиражирования", "es": "Potencial de replicación"}, "weight": 1, "max_score": 10}, {"code": "sustainability", "name": {"ar": "الاستدامة", "zh": "可持续性", "en": "Sustainability", "fr": "Durabilité", "ru": "Устойчивость", "es": "Sostenibilidad"}, "weight": 1, "max_score": 10}, {"code": "partnerships", "name": {"ar": "الشراكات", "zh": "伙伴关系", "en": "Partnerships", "fr": "Partenariats", "ru": "Партнерства", "es": "Alianzas"}, "weight": 1, "max_score": 10}, {"code": "wsis_values", "name": {"ar": "قيم القمة العالمية لمجتمع المعلومات", "zh": "信息社会世界峰会的价值观", "en": "WSIS values", "fr": "Valeurs du SMSI", "ru": "Ценности ВВУИО", "es": "Valores de la CMSI"}, "weight": 1, "max_score": 10}], "country_conflicts": true, "running_totals": false}' WHERE slug = 'wsis-2025';

-- One review per reviewer per nomination: the scores (JSON: criterion, score, comment, in the form's order) and
-- their weighted total out of 100, kept as computed when saved (the form is frozen once a review exists).
CREATE TABLE prize_reviews (
    nomination_id TEXT NOT NULL REFERENCES submissions (id),
    reviewer_id TEXT NOT NULL REFERENCES users (id),
    call_id TEXT NOT NULL REFERENCES calls (id),
    scores TEXT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (nomination_id, reviewer_id)
);
CREATE INDEX prize_reviews_call_idx ON prize_reviews (call_id, reviewer_id);
