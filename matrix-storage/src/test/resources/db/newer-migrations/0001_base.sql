CREATE TABLE widgets (
    id   BIGINT  NOT NULL PRIMARY KEY,
    name VARCHAR NOT NULL
);
INSERT INTO widgets (id, name) VALUES (1, 'generic; with a semicolon inside');
