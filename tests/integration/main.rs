//! Integration tests on a real PostgreSQL cluster, one per test binary, one
//! database per test (see `support`).

mod support;

/// The plan/apply command contract: exit codes, refusals, formats.
mod cli;
/// Connection failures: one line, exit 1, never a password.
mod connect;
/// Passwords never appear in any output.
mod credentials;
/// Backfills, @using, the NOT NULL check.
mod data;
/// The desired state: loading, elaboration, diagnostics.
mod desired;
/// drift, plans between files, adoption.
mod drift;
/// `dump` round trips: fixtures, the example schema, quoting, determinism.
mod dump;
/// Faults during apply: a terminated connection, drift reading mid-apply,
/// failures after committed segments; never half-applied and "success".
mod faults;
/// The loaders never panic, and their diagnostics point inside the source.
mod fuzz;
/// Introspection: model equality, constant query count, unmanaged objects.
mod introspect;
/// Random schema pairs through plan and apply: converge, then nothing to do.
mod property;
/// Safe apply: saved plans, rollback, faults, concurrency, lock timeouts.
mod safety;
/// The plan/apply scenario corpus, both directions.
mod scenarios;
/// TLS and sslmode semantics.
mod tls;
