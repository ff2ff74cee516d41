-- The queries of bench/results/plans.md, as the Api sends them (EF Core / EventSearchQuery), with a London user
-- 0194bdd8-… near the centre, on ./kinder seed data. Run: psql "$CONN" -f bench/results/plans.sql
\set u '''0194bdd8-e1d8-7a02-8433-165d7ff4f3f9''::uuid'
\set pt '''SRID=4326;POINT(-0.1278 51.5074)''::geography'
\echo '### 1. discover, relevance/date: first start window (3 days), London centre, 25 km'
EXPLAIN (ANALYZE, BUFFERS)
SELECT e.id, e.category_id, e.starts_at, e.going_count, e.capacity, ST_Distance(e.location, :pt)
FROM events AS e
WHERE e.status = 'Published' AND e.visibility = 'Public' AND e.starts_at > now() AND e.organizer_id <> :u
  AND e.id NOT IN (SELECT e0.event_id FROM event_attendances AS e0 WHERE e0.user_id = :u AND e0.status = 'NotGoing')
  AND e.starts_at <= now() + interval '3 days' AND ST_DWithin(e.location, :pt, 25000)
ORDER BY e.starts_at, e.id LIMIT 300;
\echo '### 2. discover, popularity: first floor (at least 20 going), London centre, 25 km'
EXPLAIN (ANALYZE, BUFFERS)
SELECT e.id, e.category_id, e.starts_at, e.going_count, e.capacity, ST_Distance(e.location, :pt)
FROM events AS e
WHERE e.status = 'Published' AND e.visibility = 'Public' AND e.starts_at > now() AND e.organizer_id <> :u
  AND e.id NOT IN (SELECT e0.event_id FROM event_attendances AS e0 WHERE e0.user_id = :u AND e0.status = 'NotGoing')
  AND e.going_count >= 20 AND ST_DWithin(e.location, :pt, 25000)
ORDER BY e.going_count DESC, e.starts_at LIMIT 300;
\echo '### 3. discover, distance: KNN, London centre (radius applied to the 300 nearest)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT e.id, e.category_id, e.starts_at, e.going_count, e.capacity, ST_Distance(e.location, :pt)
FROM events AS e
WHERE e.status = 'Published' AND e.visibility = 'Public' AND e.starts_at > now() AND e.organizer_id <> :u
  AND e.id NOT IN (SELECT e0.event_id FROM event_attendances AS e0 WHERE e0.user_id = :u AND e0.status = 'NotGoing')
ORDER BY e.location <-> :pt LIMIT 300;
\echo '### 4. search: q=hiking, London centre, 25 km, relevance'
SET pg_trgm.word_similarity_threshold = 0.4;
EXPLAIN (ANALYZE, BUFFERS)
WITH matched AS MATERIALIZED (
    SELECT e.id, e.title, e.search_vector, e.starts_at, e.going_count, e.location
    FROM events e
    WHERE e.status = 'Published' AND e.ends_at > now()
      AND (e.visibility = 'Public' OR e.organizer_id = :u
           OR EXISTS (SELECT 1 FROM event_attendances a WHERE a.event_id = e.id AND a.user_id = :u))
      AND ST_DWithin(e.location, ST_SetSRID(ST_MakePoint(-0.1278, 51.5074), 4326)::geography, 25000)
      AND (e.search_vector @@ to_tsquery('english', 'hiking:*') OR 'hiking' <% e.title)
    ORDER BY e.search_vector @@ to_tsquery('english', 'hiking:*') DESC, e.starts_at, e.id LIMIT 1000
), ranked AS (
    SELECT m.id, m.starts_at, (m.search_vector @@ to_tsquery('english', 'hiking:*'))::integer::real
        + ts_rank(m.search_vector, to_tsquery('english', 'hiking:*')) + word_similarity('hiking', m.title) AS sort_key
    FROM matched m
)
SELECT r.id, r.starts_at, r.sort_key FROM ranked r ORDER BY r.sort_key DESC, r.id ASC LIMIT 21;
\echo '### 5. search: no text, London centre, 10 km, date'
EXPLAIN (ANALYZE, BUFFERS)
WITH matched AS MATERIALIZED (
    SELECT e.id, e.title, e.search_vector, e.starts_at, e.going_count, e.location
    FROM events e
    WHERE e.status = 'Published' AND e.ends_at > now()
      AND (e.visibility = 'Public' OR e.organizer_id = :u
           OR EXISTS (SELECT 1 FROM event_attendances a WHERE a.event_id = e.id AND a.user_id = :u))
      AND ST_DWithin(e.location, ST_SetSRID(ST_MakePoint(-0.1278, 51.5074), 4326)::geography, 10000)
), ranked AS (
    SELECT m.id, m.starts_at, m.starts_at AS sort_key FROM matched m
)
SELECT r.id, r.starts_at, r.sort_key FROM ranked r ORDER BY r.sort_key ASC, r.id ASC LIMIT 21;
