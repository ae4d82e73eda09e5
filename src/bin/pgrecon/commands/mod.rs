pub mod apply;
pub mod dump;
pub mod plan;
pub mod sandbox;
pub mod validate;
