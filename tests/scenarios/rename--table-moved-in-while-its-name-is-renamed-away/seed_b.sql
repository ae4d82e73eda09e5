INSERT INTO public.t_old (v) VALUES ('p1'), ('p2');
INSERT INTO public.t (w) VALUES ('a1'), ('a2'), ('a3');
INSERT INTO public.u_old (v) VALUES ('p1'), ('p2');
INSERT INTO public.u (w) VALUES ('a1'), ('a2'), ('a3');
