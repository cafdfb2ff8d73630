//! One page per route.

pub mod account;
pub mod brand;
pub mod home;
pub mod invite;
pub mod login;
pub mod members;
pub mod not_found;
pub mod staff;
