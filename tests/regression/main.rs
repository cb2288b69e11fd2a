//! Regression tests, one per defect that once shipped, each named after what
//! broke (the security and robustness review of issue 20). Every test here was
//! seen failing before its fix.

#[path = "../support/mod.rs"]
mod support;

mod files;
mod handbook;
mod markdown;
mod serve;
