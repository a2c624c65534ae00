-- How many anime carry each tag, kept current by the import's writes so that listing tags
-- counts nothing per request.
ALTER TABLE tag ADD COLUMN anime_count INTEGER NOT NULL DEFAULT 0;
UPDATE tag SET anime_count = (SELECT COUNT(*) FROM anime_tag WHERE anime_tag.tag_id = tag.id);
