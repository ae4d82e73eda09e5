pub mod dump;
pub mod sandbox;
