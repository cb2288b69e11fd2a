//! rolebook's integration tests, in one binary (one link step, one process
//! that runs them all): each module is a part of the tool seen from outside,
//! through the real `rolebook` binary on a fixture handbook copied by
//! [`support::Book`].
//!
//! - `build`: whole sites from fixtures, the sample handbook and antd-docs;
//! - `check`: one test per diagnostic, exit codes, hostile layouts, safe output;
//! - `editors`: `init`, `new`, placeholder text, full-width slips, precise positions;
//! - `governance`: lifecycle fields, "What's new", the manifest, aliases, comparisons;
//! - `messages`: diagnostics in Chinese or English, in the terminal, JSON and the preview;
//! - `translation`: `status`, `mark-translated`, the overview and side-by-side pages;
//! - `serve`: the preview server as a child process;
//! - `no_panic`: property tests that no input makes rolebook panic;
//! - `search` and `e2e`: node and headless Chromium (skipped without them,
//!   except on CI);
//! - `regression`: one test per defect that once shipped, named after what broke.
//!
//! `cargo test --test it serve::` runs one module; `cargo insta test` reviews
//! the snapshots under `snapshots/`.

mod support;

mod build;
mod check;
mod drift;
mod e2e;
mod editors;
mod governance;
mod messages;
mod no_panic;
mod output;
mod regression;
mod search;
mod serve;
mod translation;
