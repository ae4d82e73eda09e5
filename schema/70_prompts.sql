-- AI prompt configuration: the current config per model and its version history.

CREATE TABLE prompt_configs (
    id             serial PRIMARY KEY,
    model          varchar(50) NOT NULL,
    system_prompt  text NOT NULL,
    temperature    double precision NOT NULL DEFAULT 0.7 CHECK (temperature >= 0 AND temperature <= 2),
    max_tokens     integer NOT NULL DEFAULT 2048 CHECK (max_tokens > 0),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_prompt_configs_model UNIQUE (model)
);

CREATE TABLE prompt_versions (
    id                  serial PRIMARY KEY,
    model               varchar(50) NOT NULL
                        CHECK (model IN ('nemotron', 'florence2', 'yolo_world', 'xclip', 'fashion_clip')),
    version             integer NOT NULL CHECK (version >= 1),
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          varchar(255),
    change_description  text,
    config              jsonb NOT NULL,
    is_active           boolean NOT NULL DEFAULT false,
    CONSTRAINT uq_prompt_versions_model_version UNIQUE (model, version)
);

CREATE UNIQUE INDEX idx_prompt_versions_one_active ON prompt_versions (model) INCLUDE (version)
    WHERE is_active;
CREATE INDEX idx_prompt_versions_config ON prompt_versions USING gin (config);

COMMENT ON TABLE prompt_configs IS 'Current AI prompt configuration per model';
COMMENT ON TABLE prompt_versions IS 'AI prompt version history; at most one active version per model';
