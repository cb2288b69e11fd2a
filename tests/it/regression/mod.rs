//! Regression tests, one per defect that once shipped, each named after what
//! broke (the security and robustness review of issue 20, and every bug fixed
//! since: add its test here, in the submodule of the stage that broke). Every
//! test here was seen failing before its fix.

mod dates;
mod files;
mod handbook;
mod links;
mod markdown;
mod problems;
mod sections;
mod serve;
