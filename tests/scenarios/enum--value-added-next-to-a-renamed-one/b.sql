CREATE TYPE public.e0 AS ENUM (
    'active',
    'r0' -- @renamed-from: new
);
CREATE TABLE public.t0 (c0 integer, s public.e0);
