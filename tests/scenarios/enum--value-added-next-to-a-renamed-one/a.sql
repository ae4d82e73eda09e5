CREATE TYPE public.e0 AS ENUM (
    'new' -- @renamed-from: r0
);
CREATE TABLE public.t0 (c0 integer, s public.e0);
