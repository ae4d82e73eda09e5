CREATE SCHEMA app;

-- @renamed-from: t_old
CREATE TABLE public.t (id serial PRIMARY KEY, v text);
-- @renamed-from: public.t
CREATE TABLE app.t (id serial PRIMARY KEY, w text);
-- @renamed-from: u_old
CREATE TABLE public.u (id int GENERATED ALWAYS AS IDENTITY, v text);
-- @renamed-from: public.u
CREATE TABLE app.u (id int GENERATED ALWAYS AS IDENTITY, w text);
