pub mod apply;
pub mod drift;
pub mod dump;
pub mod plan;
pub mod rollback;
pub mod sandbox;
pub mod validate;
