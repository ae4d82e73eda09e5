-- Backward, the same chains the other way.
CREATE TABLE x (id int); CREATE INDEX i ON x (id); -- @renamed-from: i_old
CREATE TABLE t (v int); CREATE INDEX j ON t (v); -- @renamed-from: i
CREATE TABLE x2 (id int);
CREATE INDEX p ON x2 (id);
CREATE TABLE t2 (v int);
CREATE INDEX q ON t2 (v);
