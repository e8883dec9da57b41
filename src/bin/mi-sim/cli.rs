//! The command line: parsing the arguments, dispatching to `check` and `walk`, and the usage
//! text. Parsing is by hand: two subcommands and three options do not need a parser crate.

use crate::{check, walk};
use std::io::Write;
use std::process::ExitCode;

/// What `--help` prints and what a usage error shows.
const USAGE: &str = "\
mi-sim: the Managed Identity Simulator on the command line

Usage:
  mi-sim check FILE...
      Check scenario files: every expectation, every flow's expected outcome and every
      what-if's expected outcome. Prints one PASS or FAIL line each and a summary line
      (`N passed, M failed`). Exit code 0 if all hold, 1 if any fails, 2 if a file cannot
      be read or is not a valid scenario.
  mi-sim walk FILE [--flow NAME] [--what-if CHANGE]... [--json]
      Print the walkthrough of a flow (default: the file's first flow): each step with its
      HTTP exchanges, decoded token and access decision, the failure and its fix, and the
      JWKS to verify the tokens with. --what-if applies one of the flow's what-ifs by its
      `change` name (repeatable); --json prints the walkthrough as JSON. Exit code 0 when
      printed, whether or not the flow succeeds; 2 for an invalid file, an unknown flow or
      what-if, or a flow the walkthrough cannot walk.
  mi-sim --help       Print this help.
  mi-sim --version    Print the version.
";

/// The argument parsing outcome that ends the program before any work.
enum Stop {
    /// `--help`: usage on stdout, success.
    Help,
    /// A usage mistake: the message and the usage on stderr, exit code 2.
    Usage(String),
}

/// Options of `mi-sim walk`.
struct WalkArgs {
    file: String,
    flow: Option<String>,
    what_ifs: Vec<String>,
    json: bool,
}

/// Runs the command with the process's arguments.
pub fn run() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let code = match args {
        Ok(args) => match dispatch(&args) {
            Ok(code) => code,
            Err(Stop::Help) => {
                print_stdout(USAGE);
                0
            }
            Err(Stop::Usage(message)) => {
                eprintln!("error: {message}\n\n{USAGE}");
                2
            }
        },
        Err(arg) => {
            eprintln!(
                "error: the argument \"{}\" is not valid UTF-8",
                arg.to_string_lossy()
            );
            2
        }
    };
    ExitCode::from(code)
}

/// Dispatches on the subcommand; returns the exit code.
fn dispatch(args: &[String]) -> Result<u8, Stop> {
    let Some(first) = args.first() else {
        return Err(Stop::Usage("no command given".into()));
    };
    let rest = &args[1..];
    match first.as_str() {
        "-h" | "--help" | "help" => Err(Stop::Help),
        "-V" | "--version" => {
            print_stdout(&format!("mi-sim {}\n", mi_sim::VERSION));
            Ok(0)
        }
        "check" => {
            let files = check_args(rest)?;
            Ok(check::run(&files))
        }
        "walk" => {
            let args = walk_args(rest)?;
            Ok(walk::run(
                &args.file,
                args.flow.as_deref(),
                &args.what_ifs,
                args.json,
            ))
        }
        other if other.starts_with('-') => Err(Stop::Usage(format!("unknown option \"{other}\""))),
        other => Err(Stop::Usage(format!("unknown command \"{other}\""))),
    }
}

/// `check`'s arguments: one or more files (`--` ends the options).
fn check_args(args: &[String]) -> Result<Vec<String>, Stop> {
    let mut files = Vec::new();
    let mut options_done = false;
    for arg in args {
        match arg.as_str() {
            _ if options_done => files.push(arg.clone()),
            "--" => options_done = true,
            "-h" | "--help" => return Err(Stop::Help),
            a if a.starts_with('-') && a.len() > 1 => {
                return Err(Stop::Usage(format!("check: unknown option \"{a}\"")));
            }
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        return Err(Stop::Usage("check: no scenario file given".into()));
    }
    Ok(files)
}

/// `walk`'s arguments: one file, `--flow NAME`, `--what-if CHANGE` (repeatable), `--json`;
/// `--flow=NAME` and `--what-if=CHANGE` work too.
fn walk_args(args: &[String]) -> Result<WalkArgs, Stop> {
    let mut file = None;
    let mut flow = None;
    let mut what_ifs = Vec::new();
    let mut json = false;
    let mut options_done = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") && !options_done => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = |option: &str| -> Result<String, Stop> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            let v = args
                .get(i)
                .ok_or_else(|| Stop::Usage(format!("walk: {option} needs a value")))?;
            i += 1;
            Ok(v.clone())
        };
        match name {
            _ if options_done => set_file(&mut file, arg)?,
            "--" => options_done = true,
            "-h" | "--help" => return Err(Stop::Help),
            "--json" if inline.is_none() => json = true,
            "--flow" => {
                if flow.is_some() {
                    return Err(Stop::Usage("walk: --flow given twice".into()));
                }
                flow = Some(value("--flow")?);
            }
            "--what-if" => what_ifs.push(value("--what-if")?),
            a if a.starts_with('-') && a.len() > 1 => {
                return Err(Stop::Usage(format!("walk: unknown option \"{arg}\"")));
            }
            _ => set_file(&mut file, arg)?,
        }
    }
    let file = file.ok_or_else(|| Stop::Usage("walk: no scenario file given".into()))?;
    Ok(WalkArgs {
        file,
        flow,
        what_ifs,
        json,
    })
}

fn set_file(file: &mut Option<String>, arg: &str) -> Result<(), Stop> {
    if let Some(first) = file {
        return Err(Stop::Usage(format!(
            "walk: one scenario file only (got \"{first}\" and \"{arg}\")"
        )));
    }
    *file = Some(arg.to_string());
    Ok(())
}

/// Writes to stdout, ignoring a closed pipe (`mi-sim walk … | head` must not panic).
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
