//! One page per route.

pub mod account;
pub mod api_keys;
pub mod audit;
pub mod brand;
pub mod brand_frame;
pub mod bulk;
pub mod case;
pub mod cases;
pub mod confirm;
pub mod dashboard;
pub mod find;
pub mod forgot_password;
pub mod home;
pub mod invite;
pub mod login;
pub mod members;
pub mod not_found;
pub mod report;
pub mod rights;
pub mod seller;
pub mod set_password;
pub mod staff;
pub mod webhooks;
