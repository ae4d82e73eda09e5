INSERT INTO public.t (v) VALUES ('p1'), ('p2');
INSERT INTO app.t (w) VALUES ('a1'), ('a2'), ('a3');
INSERT INTO public.u (v) VALUES ('p1'), ('p2');
INSERT INTO app.u (w) VALUES ('a1'), ('a2'), ('a3');
