-- Tables: safe to run on every open. Raw bytes and text are kept so a report can be
-- re-extracted and every number traced back to its source.

CREATE TABLE IF NOT EXISTS raw_files (
    sha256       VARCHAR PRIMARY KEY,
    source_file  VARCHAR NOT NULL,
    size_bytes   BIGINT NOT NULL,
    bytes        BLOB NOT NULL,
    received_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS reports (
    report_id          VARCHAR PRIMARY KEY,   -- 'r' + first 16 hex of sha256
    sha256             VARCHAR NOT NULL,
    source_file        VARCHAR NOT NULL,
    file_format        VARCHAR,
    encoding           VARCHAR,
    text               VARCHAR NOT NULL,      -- normalised (NFKC) text the extractor read
    page_starts        INTEGER[],             -- offset in text of each page; empty for plain text
    department         VARCHAR,
    department_key     VARCHAR,
    province           VARCHAR,
    city               VARCHAR,
    district           VARCHAR,
    year               INTEGER,
    report_kind        VARCHAR,               -- department_overall | project
    project_name       VARCHAR,
    score_grade        VARCHAR,
    problems           VARCHAR,               -- text of 存在问题
    measures           VARCHAR,               -- text of 改进措施
    extractor_version  VARCHAR NOT NULL,
    ingested_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    extracted_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    review_status      VARCHAR NOT NULL DEFAULT 'extracted',  -- extracted | accepted | rejected
    is_primary         BOOLEAN NOT NULL DEFAULT TRUE
);

-- What the document is (self_evaluation | final_accounts | budget | other), decided from its
-- title; and 待核: whether the department, year or headline figures are missing or doubtful
-- (review_reasons: short codes, comma-separated). Added after the table's first version.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS document_type VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS needs_review BOOLEAN DEFAULT FALSE;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS review_reasons VARCHAR;

-- Every extracted fact, numeric (value) or textual (value_text), with where it was found.
CREATE TABLE IF NOT EXISTS facts (
    report_id       VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    subject         VARCHAR,
    value           DOUBLE,
    value_text      VARCHAR,
    derived         BOOLEAN NOT NULL DEFAULT FALSE,
    period_start    VARCHAR,
    period_end      VARCHAR,
    source_page     INTEGER,
    source_offset   INTEGER,
    source_length   INTEGER,
    source_snippet  VARCHAR,
    rule            VARCHAR
);
-- Read by OCR (a scan or a photo): the recogniser's lowest confidence (0..1) over the value's
-- text. Added after the table's first version: ALTER upgrades databases made before.
ALTER TABLE facts ADD COLUMN IF NOT EXISTS ocr BOOLEAN DEFAULT FALSE;
ALTER TABLE facts ADD COLUMN IF NOT EXISTS ocr_confidence DOUBLE;
-- How sure the extractor's rule is of the fact (0..1); NULL for facts stored before it said.
ALTER TABLE facts ADD COLUMN IF NOT EXISTS confidence DOUBLE;

CREATE TABLE IF NOT EXISTS indicators (
    report_id       VARCHAR NOT NULL,
    ord             INTEGER NOT NULL,
    level1          VARCHAR,
    level2          VARCHAR,
    level3          VARCHAR,
    target          VARCHAR,
    actual          VARCHAR,
    source_page     INTEGER,
    source_snippet  VARCHAR
);

-- The dashboard's kept copy of v_dashboard_reports (schema/views.sql): one row a report, its unit's latest flags.
-- Rebuilt whole by queries/db/refresh_dashboard_reports.sql, kept per touched unit by every write (db.update_metrics);
-- created empty here so that the views and macros that read it can be made first.
CREATE TABLE IF NOT EXISTS dashboard_reports (
    report_id       VARCHAR,
    department_key  VARCHAR,
    department      VARCHAR,
    province        VARCHAR,
    city            VARCHAR,
    district        VARCHAR,
    year            INTEGER,
    document_type   VARCHAR,
    report_kind     VARCHAR,
    project_name    VARCHAR,
    score_grade     VARCHAR,
    source_file     VARCHAR,
    is_primary      BOOLEAN,
    sha256          VARCHAR,
    file_format     VARCHAR,
    extractor_version VARCHAR,
    ingested_at     TIMESTAMP,
    review_status   VARCHAR,
    latest          BOOLEAN,
    latest_dated    BOOLEAN,
    unit_first      INTEGER,
    unit_last       INTEGER
);

-- An analyst's correction: its own row, never an update of facts, so re-extraction keeps it.
CREATE SEQUENCE IF NOT EXISTS correction_seq;
CREATE TABLE IF NOT EXISTS corrections (
    correction_id   BIGINT PRIMARY KEY DEFAULT nextval('correction_seq'),
    report_id       VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    subject         VARCHAR,
    old_value       DOUBLE,
    new_value       DOUBLE,
    source_snippet  VARCHAR,
    reason          VARCHAR NOT NULL,
    author          VARCHAR NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    undone_at       TIMESTAMP
);

-- Names that mean the same department (with or without its city, renamed bodies).
CREATE TABLE IF NOT EXISTS department_aliases (
    alias           VARCHAR PRIMARY KEY,
    department_key  VARCHAR NOT NULL,
    created_by      VARCHAR,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Files handed over through the upload page that could not be read: kept, not lost.
CREATE TABLE IF NOT EXISTS pending_files (
    sha256       VARCHAR PRIMARY KEY,
    source_file  VARCHAR NOT NULL,
    bytes        BLOB NOT NULL,
    reason_code  VARCHAR NOT NULL,
    reason_zh    VARCHAR NOT NULL,
    reason_en    VARCHAR NOT NULL,
    received_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Facts about the database itself (the schema version it was last written with).
CREATE TABLE IF NOT EXISTS meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);
