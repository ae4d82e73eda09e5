CREATE SCHEMA app;

-- @renamed-from: t
CREATE TABLE public.t_old (id serial PRIMARY KEY, v text);
-- @renamed-from: app.t
CREATE TABLE public.t (id serial PRIMARY KEY, w text);
-- @renamed-from: u
CREATE TABLE public.u_old (id int GENERATED ALWAYS AS IDENTITY, v text);
-- @renamed-from: app.u
CREATE TABLE public.u (id int GENERATED ALWAYS AS IDENTITY, w text);
