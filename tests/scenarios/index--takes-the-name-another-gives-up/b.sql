-- An index takes the name another gives up (i -> i_old, j -> i): renamed
-- in turn, nothing rebuilt. Annotated for x and t (after two statements
-- on a line, the annotation is the last one's); x2 and t2 follow from
-- their definitions alone (p -> p_old, q -> p).
CREATE TABLE x (id int); CREATE INDEX i_old ON x (id); -- @renamed-from: i
CREATE TABLE t (v int); CREATE INDEX i ON t (v); -- @renamed-from: j
CREATE TABLE x2 (id int);
CREATE INDEX p_old ON x2 (id);
CREATE TABLE t2 (v int);
CREATE INDEX p ON t2 (v);
