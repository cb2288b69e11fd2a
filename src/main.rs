//! The `rolebook` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rolebook::diagnostic::{render_human, render_json, Diagnostic, MessageLang};
use rolebook::serve::ServeOptions;
use rolebook::BuildError;

/// A static-site generator for bilingual role handbooks.
#[derive(Parser)]
#[command(name = "rolebook", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The date that counts as today for review and effective dates
    /// (YYYY-MM-DD; default: `ROLEBOOK_TODAY`, else today), for reproducible checks.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    today: Option<rolebook::dates::Date>,
    /// The language of problems and hints: `zh` or `en` (default:
    /// `ROLEBOOK_MESSAGES`, else the locale from `LC_ALL`, `LC_MESSAGES`, `LANG`, else `en`).
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_messages)]
    messages: Option<MessageLang>,
}

/// `--messages`' value.
fn parse_messages(text: &str) -> Result<MessageLang, String> {
    MessageLang::parse(text).ok_or_else(|| format!("`{text}` is not `zh` or `en`"))
}

/// `--today`'s value: a whole date.
fn parse_today(text: &str) -> Result<rolebook::dates::Date, String> {
    rolebook::dates::parse(text).ok_or_else(|| {
        format!("`{text}` is not a date: write it as year-month-day, e.g. 2026-11-28")
    })
}

#[derive(Subcommand)]
enum Command {
    /// Build the handbook into a static site.
    Build {
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Output folder (default: book.toml's [build] output, else `public` in ROOT).
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// Run every check without writing anything.
    Check {
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build the handbook into memory, serve it, and rebuild and reload on every save.
    Serve {
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Address to listen on (loopback unless you say otherwise).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port; 0 picks a free one.
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Open the handbook in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// List every role and language as ok, missing, stale or untracked.
    Status {
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with 1 if anything is not `ok`.
        #[arg(long)]
        strict: bool,
        /// List every role by review date (`review_by`), with its owner, instead.
        #[arg(long)]
        reviews: bool,
    },
    /// Record that the LANG page of role ID is up to date with the default language.
    MarkTranslated {
        /// The role's id.
        id: String,
        /// The translation's language key, e.g. `zh`.
        lang: String,
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Record only that this section (a heading id as `status` lists it,
        /// `(introduction)` or `(title)`) was brought up to date.
        #[arg(long, value_name = "ID")]
        section: Option<String>,
    },
    /// Show how the original changed, section by section, since the LANG page of role ID was translated.
    Diff {
        /// The role's id.
        id: String,
        /// The translation's language key, e.g. `zh`.
        lang: String,
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// How to print the changes (human: coloured in a terminal, plain when piped).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a small working bilingual handbook into DIR.
    Init {
        /// Folder to create the handbook in.
        dir: PathBuf,
    },
    /// Create the pages (one per language) of a new role.
    New {
        /// The new role's id, e.g. `receptionist`.
        id: String,
        /// Handbook folder (the one with book.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Only this language's page, e.g. `--lang zh` to add the missing
        /// translation of an existing role.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// The role's title in the default language (else one made from the id).
        #[arg(long)]
        title: Option<String>,
    },
}

impl Command {
    /// The handbook folder the command works on, if it needs an existing one.
    fn root(&self) -> Option<&Path> {
        match self {
            Command::Build { root, .. }
            | Command::Check { root, .. }
            | Command::Serve { root, .. }
            | Command::Status { root, .. }
            | Command::MarkTranslated { root, .. }
            | Command::Diff { root, .. }
            | Command::New { root, .. } => Some(root),
            Command::Init { .. } => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Exit codes: 0 fine (warnings allowed), 1 problems in the handbook, 2 usage or I/O error.
const HANDBOOK_PROBLEMS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(USAGE_OR_IO)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    rolebook::diagnostic::set_messages(MessageLang::from_env(cli.messages));
    if let Some(root) = cli.command.root() {
        if !root.join("book.toml").is_file() {
            eprintln!(
                "error: {} has no book.toml; run rolebook in a handbook folder or create one with `rolebook init DIR`",
                root.display()
            );
            return ExitCode::from(USAGE_OR_IO);
        }
    }
    if let Some(today) = cli.today {
        rolebook::dates::set_today(today);
    }
    on_stuck_render(&cli.command);
    match cli.command {
        Command::Build { root, out } => build(&root, out.as_deref()),
        Command::Check { root, format } => check(&root, format),
        Command::Serve {
            root,
            host,
            port,
            open,
        } => serve(ServeOptions {
            root,
            host,
            port,
            open,
        }),
        Command::Status {
            root,
            format,
            reviews: true,
            ..
        } => reviews(&root, format),
        Command::Status {
            root,
            format,
            strict,
            ..
        } => status(&root, format, strict),
        Command::MarkTranslated {
            id,
            lang,
            root,
            section,
        } => mark_translated(&root, &id, &lang, section.as_deref()),
        Command::Diff {
            id,
            lang,
            root,
            format,
        } => diff(&root, &id, &lang, format),
        Command::Init { dir } => {
            let code = scaffold(rolebook::scaffold::init(&dir), "created a handbook");
            if code == ExitCode::SUCCESS {
                print!("{}", rolebook::scaffold::next_steps(&dir));
            }
            code
        }
        Command::New {
            id,
            root,
            lang,
            title,
        } => {
            let options = rolebook::scaffold::NewRole {
                lang: lang.as_deref(),
                title: title.as_deref(),
            };
            let made = rolebook::scaffold::new_role_with(&root, &id, &options);
            let code = scaffold(made, "created");
            if code == ExitCode::SUCCESS {
                println!("replace the placeholder text (`rolebook check` points at what is left), then `rolebook serve` to see it");
            }
            code
        }
    }
}

/// A template render that runs over its budget cannot be stopped (Tera has
/// no step limit): the problem is reported like any other and the process
/// ends, which frees the stuck thread. The one exit outside `main`.
fn on_stuck_render(command: &Command) {
    let json = matches!(
        command,
        Command::Check {
            format: Format::Json,
            ..
        }
    );
    let root = command.root().map(Path::to_path_buf).unwrap_or_default();
    rolebook::render::budget::on_stuck(Box::new(move |problem| {
        let problems = [problem];
        if json {
            println!("{}", render_json(&problems));
        } else {
            report(&problems, &root);
        }
        eprintln!("stopped: a page took too long to render, so nothing was written");
        std::process::exit(i32::from(HANDBOOK_PROBLEMS));
    }));
}

fn report(diagnostics: &[Diagnostic], root: &Path) {
    if !diagnostics.is_empty() {
        eprint!(
            "{}",
            render_human(diagnostics, root, std::io::stderr().is_terminal())
        );
    }
}

fn build(root: &Path, out: Option<&Path>) -> ExitCode {
    match rolebook::build(root, out) {
        Ok(built) => {
            report(&built.diagnostics, root);
            println!("{}", built.summary());
            ExitCode::SUCCESS
        }
        Err(BuildError::Handbook(diagnostics)) => {
            report(&diagnostics, root);
            eprintln!("build failed: nothing was written");
            ExitCode::from(HANDBOOK_PROBLEMS)
        }
        Err(BuildError::Io(e, diagnostics)) => {
            report(&diagnostics, root);
            eprintln!("error: {e}");
            eprintln!("build failed: the previous output was left as it was");
            ExitCode::from(USAGE_OR_IO)
        }
    }
}

fn check(root: &Path, format: Format) -> ExitCode {
    let diagnostics = match rolebook::check(root) {
        Ok(mut loaded) => {
            let diagnostics = std::mem::take(&mut loaded.diagnostics);
            // Freeing a large handbook takes a while and nothing waits for it.
            std::thread::spawn(move || drop(loaded));
            diagnostics
        }
        Err(problems) => problems,
    };
    match format {
        Format::Human => {
            let text = render_human(&diagnostics, root, std::io::stdout().is_terminal());
            print!("{text}");
        }
        Format::Json => println!("{}", render_json(&diagnostics)),
    }
    if rolebook::diagnostic::count_errors(&diagnostics) > 0 {
        ExitCode::from(HANDBOOK_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

fn serve(options: ServeOptions) -> ExitCode {
    match rolebook::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(USAGE_OR_IO)
        }
    }
}

/// The handbook for a report (`status`); book.toml's problems are printed
/// and end the run as a usage error.
fn load_for_report(root: &Path) -> Result<rolebook::Loaded, ExitCode> {
    rolebook::load(root).map_err(|problems| {
        report(&problems, root);
        ExitCode::from(USAGE_OR_IO)
    })
}

/// `status --reviews`: every role by review date, overdue ones marked.
fn reviews(root: &Path, format: Format) -> ExitCode {
    let loaded = match load_for_report(root) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let reviews = rolebook::handbook::reviews(&loaded.handbook, rolebook::dates::today());
    match format {
        Format::Human => print!("{}", reviews.human()),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&reviews).unwrap_or_default()
        ),
    }
    ExitCode::SUCCESS
}

fn status(root: &Path, format: Format, strict: bool) -> ExitCode {
    let loaded = match load_for_report(root) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let status = rolebook::translation::report(&loaded.handbook, &loaded.rendered)
        .with_failed(&loaded.handbook, &loaded.failed_pages);
    match format {
        Format::Human => print!("{}", status.human()),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&status).unwrap_or_default()
        ),
    }
    // A page that does not parse is a problem whether or not --strict.
    if status.has_errors() || (strict && !status.all_ok()) {
        ExitCode::from(HANDBOOK_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

fn mark_translated(root: &Path, id: &str, lang: &str, section: Option<&str>) -> ExitCode {
    let marked = match section {
        None => rolebook::mark_translated(root, id, lang),
        Some(section) => rolebook::mark::mark_section(root, id, lang, section),
    };
    match marked {
        Ok((path, mark)) => {
            match section {
                None => println!("marked {} as translated from {mark}", path.display()),
                Some(section) => println!(
                    "marked section `{section}` of {} as up to date (translated from {mark})",
                    path.display()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(HANDBOOK_PROBLEMS)
        }
    }
}

fn diff(root: &Path, id: &str, lang: &str, format: Format) -> ExitCode {
    match rolebook::drift::report::diff_report(root, id, lang) {
        Ok(report) => {
            match format {
                Format::Human => print!("{}", report.human(std::io::stdout().is_terminal())),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(HANDBOOK_PROBLEMS)
        }
    }
}

fn scaffold(
    result: Result<Vec<PathBuf>, rolebook::scaffold::ScaffoldError>,
    what: &str,
) -> ExitCode {
    match result {
        Ok(files) => {
            println!("{what}:");
            for f in files {
                println!("  {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(USAGE_OR_IO)
        }
    }
}

// Many small allocations (page strings, template values) from both cores:
// jemalloc is as fast as mimalloc here and keeps the peak memory of a large
// build lowest (BENCHMARKS.md: 10,000 roles, jemalloc ~196 MiB, mimalloc
// ~250 MiB, the system allocator slower by a fifth).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// Memory a stage frees goes back to the system within 100 ms instead of
// jemalloc's default 10 s: a build's stages take their memory one after
// another, and each kept the last one's freed pages (10,000 roles: peak
// RSS 246 MiB -> 220 MiB, no slower; BENCHMARKS.md). `_RJEM_MALLOC_CONF`
// in the environment still overrides it.
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: &[u8] = b"dirty_decay_ms:100,muzzy_decay_ms:0\0";
