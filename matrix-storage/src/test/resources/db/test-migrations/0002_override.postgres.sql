-- PostgreSQL's own version of migration 2
INSERT INTO widgets (id, name) VALUES (2, 'postgres');
