INSERT INTO clips (id, frames, pauses) VALUES (1, '[1,50)', '{[3,4),[10,12)}'), (2, '[200,300)', NULL);
