-- Facts about the database itself. `written_by`: the version of the console that opened it last,
-- so an older binary that finds a newer schema can name the version that wrote it.
CREATE TABLE console_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
