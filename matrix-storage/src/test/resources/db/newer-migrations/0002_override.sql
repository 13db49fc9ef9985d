-- the generic file: SQLite uses it
INSERT INTO widgets (id, name) VALUES (2, 'generic');
