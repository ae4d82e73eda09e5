pub mod dump;
pub mod sandbox;
pub mod validate;
