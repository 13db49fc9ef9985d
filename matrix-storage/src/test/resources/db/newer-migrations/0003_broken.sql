INSERT INTO widgets (id, name) VALUES (3, 'three');
INSERT INTO no_such_table (id) VALUES (1);
