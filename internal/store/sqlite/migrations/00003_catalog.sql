-- +goose Up
-- The catalogue: authors, and plans whose content lives in revisions. The
-- published revision serves readers while the next one is written and
-- reviewed. Items and tasks keep their ids from one revision to the next.

CREATE TABLE authors (
    id             text PRIMARY KEY,
    name           text NOT NULL,
    -- The name lower-cased with diacritics folded in Go, so both engines
    -- sort and search names alike.
    sort_name      text NOT NULL,
    bio            text NOT NULL,
    bio_html       text NOT NULL,
    tradition      text NOT NULL,
    photo_media_id text NOT NULL,
    user_id        text UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamp NOT NULL,
    updated_at     timestamp NOT NULL
);
CREATE INDEX authors_sort_name_idx ON authors (sort_name, id);
CREATE INDEX authors_name_idx ON authors (name);

CREATE TABLE plans (
    id                    text PRIMARY KEY,
    slug                  text NOT NULL UNIQUE,
    status                text NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
    created_by            text REFERENCES users (id) ON DELETE SET NULL,
    published_revision_id text,
    working_revision_id   text,
    created_at            timestamp NOT NULL,
    updated_at            timestamp NOT NULL,
    first_published_at    timestamp,
    published_at          timestamp,
    archived_at           timestamp
);
CREATE INDEX plans_catalogue_idx ON plans (status, first_published_at, id);
CREATE INDEX plans_created_by_idx ON plans (created_by);

CREATE TABLE plan_revisions (
    id                text PRIMARY KEY,
    plan_id           text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number            integer NOT NULL,
    state             text NOT NULL CHECK (state IN ('draft', 'in_review', 'published', 'superseded')),
    version           integer NOT NULL,
    review_note       text NOT NULL,
    submitted_at      timestamp,
    reviewed_at       timestamp,
    reviewed_by       text REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamp NOT NULL,
    updated_at        timestamp NOT NULL,
    title             text NOT NULL,
    sort_title        text NOT NULL,
    subtitle          text NOT NULL,
    description       text NOT NULL,
    description_html  text NOT NULL,
    tradition         text NOT NULL,
    level             text NOT NULL,
    language          text NOT NULL,
    cover_media_id    text NOT NULL,
    -- A JSON array of YYYY-MM-DD dates on which the plan starts.
    fixed_start_dates text NOT NULL,
    day_count         integer NOT NULL,
    minutes           integer NOT NULL,
    UNIQUE (plan_id, number)
);
CREATE INDEX plan_revisions_sort_title_idx ON plan_revisions (sort_title, id);

CREATE TABLE revision_authors (
    revision_id text NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
    author_id   text NOT NULL REFERENCES authors (id),
    position    integer NOT NULL,
    PRIMARY KEY (revision_id, author_id)
);
CREATE INDEX revision_authors_author_id_idx ON revision_authors (author_id);

CREATE TABLE revision_topics (
    revision_id text NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
    topic       text NOT NULL,
    position    integer NOT NULL,
    PRIMARY KEY (revision_id, topic)
);
CREATE INDEX revision_topics_topic_idx ON revision_topics (topic);

CREATE TABLE plan_days (
    revision_id text NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
    number      integer NOT NULL CHECK (number BETWEEN 1 AND 365),
    title       text NOT NULL,
    intro       text NOT NULL,
    intro_html  text NOT NULL,
    PRIMARY KEY (revision_id, number)
);

CREATE TABLE plan_items (
    revision_id   text NOT NULL,
    id            text NOT NULL,
    day_number    integer NOT NULL,
    position      integer NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('text', 'audio', 'video', 'pdf', 'image', 'link')),
    title         text NOT NULL,
    body          text NOT NULL,
    body_html     text NOT NULL,
    media_id      text NOT NULL,
    url           text NOT NULL,
    citation      text NOT NULL,
    segment_start text NOT NULL,
    segment_end   text NOT NULL,
    minutes       integer NOT NULL,
    root_text     text NOT NULL,
    root_html     text NOT NULL,
    root_language text NOT NULL,
    PRIMARY KEY (revision_id, id),
    FOREIGN KEY (revision_id, day_number) REFERENCES plan_days (revision_id, number) ON DELETE CASCADE
);
CREATE INDEX plan_items_day_idx ON plan_items (revision_id, day_number, position);

CREATE TABLE plan_tasks (
    revision_id text NOT NULL,
    id          text NOT NULL,
    day_number  integer NOT NULL,
    position    integer NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('meditate', 'reflect', 'chant', 'practice', 'memorize')),
    prompt      text NOT NULL,
    prompt_html text NOT NULL,
    minutes     integer NOT NULL,
    optional    boolean NOT NULL,
    PRIMARY KEY (revision_id, id),
    FOREIGN KEY (revision_id, day_number) REFERENCES plan_days (revision_id, number) ON DELETE CASCADE
);
CREATE INDEX plan_tasks_day_idx ON plan_tasks (revision_id, day_number, position);

-- +goose Down
DROP TABLE plan_tasks;
DROP TABLE plan_items;
DROP TABLE plan_days;
DROP TABLE revision_topics;
DROP TABLE revision_authors;
DROP TABLE plan_revisions;
DROP TABLE plans;
DROP TABLE authors;
