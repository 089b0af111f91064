-- +goose Up
-- Search: a full-text document per published plan, and the vocabulary
-- misspellings are corrected against. Text is folded (lower case, no
-- diacritics) and split into words by the application before it is
-- indexed, the same for both engines.

-- plan_search gives each indexed plan the integer rowid FTS5 needs.
-- AUTOINCREMENT never reuses a rowid, and the trigger removes a plan's
-- document when its row goes, also when the plan is deleted.
CREATE TABLE plan_search (
    rowid   INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id text NOT NULL UNIQUE REFERENCES plans (id) ON DELETE CASCADE
);

-- Contentless: the text is not stored twice. Columns in weight order:
-- title; subtitle; topics and author names; description; days, items and
-- tasks.
CREATE VIRTUAL TABLE plan_search_text USING fts5 (
    title, subtitle, keywords, description, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER plan_search_deleted AFTER DELETE ON plan_search BEGIN
    DELETE FROM plan_search_text WHERE rowid = old.rowid;
END;
-- +goose StatementEnd

-- Every word of a published plan, of four letters or more: what a
-- misspelt word is corrected to, found through its trigrams.
CREATE TABLE search_vocabulary (
    id   INTEGER PRIMARY KEY,
    word text NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_vocabulary_trigrams USING fts5 (
    word, content = 'search_vocabulary', content_rowid = 'id', tokenize = 'trigram'
);
-- +goose StatementBegin
CREATE TRIGGER search_vocabulary_added AFTER INSERT ON search_vocabulary BEGIN
    INSERT INTO search_vocabulary_trigrams (rowid, word) VALUES (new.id, new.word);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_vocabulary_added;
DROP TABLE search_vocabulary_trigrams;
DROP TABLE search_vocabulary;
DROP TRIGGER plan_search_deleted;
DROP TABLE plan_search_text;
DROP TABLE plan_search;
