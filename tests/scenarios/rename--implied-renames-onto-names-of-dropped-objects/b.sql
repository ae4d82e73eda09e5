-- Names pgrecon renames by itself, held by objects of other kinds that
-- the files drop: t's key and sequence follow it to t2 (t2_pkey, and
-- t2_id_seq), where an index and a view hold those names; k's key is
-- named as a fresh build names it (k_pkey), where an index is. Each
-- holder is set aside and dropped.
-- @renamed-from: t
CREATE TABLE t2 (id serial PRIMARY KEY, v text);
CREATE TABLE x (id int, note text);
CREATE TABLE k (id int PRIMARY KEY, w text);
