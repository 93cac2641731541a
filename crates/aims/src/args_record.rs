//! The command-line noun of a kit record type, built from its declaration: `aims NOUN add|list|show|update|
//! delete|history`, with a flag per field, plus any extra subcommands the record type adds (`X`).

use aims_app::RecordId;
use aims_app::kit::{FieldKind, ListParams, Record};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches, Subcommand};
use serde_json::{Map, Value};
use std::marker::PhantomData;
use std::path::PathBuf;

/// What the user asked of a kit record type.
#[derive(Debug)]
pub enum Action<X> {
    /// Create a record from flags and an optional file.
    Add {
        /// Field values given by flag.
        values: Map<String, Value>,
        /// JSON or TOML file with any fields.
        file: Option<PathBuf>,
    },
    /// List records.
    List {
        /// Filters, search, order and page.
        params: ListParams,
        /// Whether one page was asked for (`--limit` or `--cursor`); otherwise every page is read.
        one_page: bool,
    },
    /// Show one record.
    Show {
        /// Record id.
        id: RecordId,
    },
    /// Change the given fields of a record.
    Update {
        /// Record id.
        id: RecordId,
        /// Field values given by flag.
        values: Map<String, Value>,
        /// JSON or TOML file with any fields.
        file: Option<PathBuf>,
        /// Refuse unless the record is still at this version.
        if_version: Option<i64>,
    },
    /// Delete a record.
    Delete {
        /// Record id.
        id: RecordId,
        /// Refuse unless the record is still at this version.
        if_version: Option<i64>,
    },
    /// Show a record's change history.
    History {
        /// Record id.
        id: RecordId,
    },
    /// A subcommand particular to the record type.
    Extra(X),
}

/// The parsed noun of record type `T` with extra subcommands `X`.
#[derive(Debug)]
pub struct RecordCmd<T, X = NoExtra> {
    /// What to do.
    pub action: Action<X>,
    record: PhantomData<fn() -> T>,
}

/// No extra subcommands.
#[derive(Debug)]
pub enum NoExtra {}

impl FromArgMatches for NoExtra {
    fn from_arg_matches(_: &ArgMatches) -> Result<Self, clap::Error> {
        Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))
    }
    fn update_from_arg_matches(&mut self, _: &ArgMatches) -> Result<(), clap::Error> {
        Ok(())
    }
}

impl Subcommand for NoExtra {
    fn augment_subcommands(cmd: Command) -> Command {
        cmd
    }
    fn augment_subcommands_for_update(cmd: Command) -> Command {
        cmd
    }
    fn has_subcommand(_: &str) -> bool {
        false
    }
}

const GENERIC: [&str; 6] = ["add", "list", "show", "update", "delete", "history"];

fn id_arg(what: &str) -> Arg {
    Arg::new("id")
        .required(true)
        .value_name("ID")
        .help(format!("Id of the {what}."))
}

fn if_version_arg(what: &str) -> Arg {
    Arg::new("if_version")
        .long("if-version")
        .value_name("VERSION")
        .value_parser(clap::value_parser!(i64))
        .help(format!(
            "Refuse unless the {what} is still at this version."
        ))
}

/// The field flags and `--file` of kit record type `T`, for the `add` and `update` of a noun that is otherwise
/// its own (`aims system`).
#[derive(Debug)]
pub struct KitFields<T> {
    /// Field values given by flag.
    pub values: Map<String, Value>,
    /// JSON or TOML file with any fields.
    pub file: Option<PathBuf>,
    record: PhantomData<fn() -> T>,
}

impl<T: Record> FromArgMatches for KitFields<T> {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(KitFields {
            values: values::<T>(m),
            file: m.get_one::<PathBuf>("file").cloned(),
            record: PhantomData,
        })
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl<T: Record> Args for KitFields<T> {
    fn augment_args(cmd: Command) -> Command {
        field_args::<T>(cmd)
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        field_args::<T>(cmd)
    }
}

/// A flag per field that can be given on the command line (lists of rows come from `--file`).
fn field_args<T: Record>(mut cmd: Command) -> Command {
    let def = T::DEF;
    for f in def.fields.iter().filter(|f| !f.fixed) {
        let arg = Arg::new(f.name).long(f.cli_flag()).help(f.help);
        let arg = match f.kind {
            FieldKind::Rows(_) | FieldKind::Id => continue,
            FieldKind::Custom => arg.value_name("KEY=VALUE").action(ArgAction::Append),
            FieldKind::Bool => arg
                .value_name("true|false")
                .num_args(0..=1)
                .default_missing_value("true")
                .value_parser(clap::value_parser!(bool)),
            FieldKind::Tags => arg.value_name("TEXT").action(ArgAction::Append),
            FieldKind::Choice(allowed) => arg.value_name("VALUE").help(
                format!("{} One of: {}.", f.help, allowed.join(", "))
                    .trim()
                    .to_string(),
            ),
            FieldKind::Text | FieldKind::LongText => arg.value_name("TEXT"),
            FieldKind::Link(_) => arg.value_name("ID"),
        };
        cmd = cmd.arg(arg);
    }
    cmd.arg(
        Arg::new("file")
            .long("file")
            .value_name("FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .help(format!(
                "JSON or TOML file with any fields of the {} (lists included); flags override it.",
                def.singular
            )),
    )
}

fn values<T: Record>(m: &ArgMatches) -> Map<String, Value> {
    let mut out = Map::new();
    for f in T::DEF.fields.iter().filter(|f| !f.fixed) {
        let v = match f.kind {
            FieldKind::Rows(_) | FieldKind::Id => None,
            FieldKind::Bool => m.get_one::<bool>(f.name).map(|b| Value::Bool(*b)),
            // Custom field values stay `KEY=VALUE` texts here; `input::typed` reads them.
            FieldKind::Tags | FieldKind::Custom => m
                .get_many::<String>(f.name)
                .map(|vs| Value::Array(vs.cloned().map(Value::String).collect())),
            _ => m.get_one::<String>(f.name).cloned().map(Value::String),
        };
        if let Some(v) = v {
            out.insert(f.name.to_string(), v);
        }
    }
    out
}

impl<T: Record, X: Subcommand> Subcommand for RecordCmd<T, X> {
    fn augment_subcommands(cmd: Command) -> Command {
        let def = T::DEF;
        let (one, many) = (def.singular, def.plural);
        let mut list = Command::new("list")
            .about(format!(
                "List {many}; every one unless --limit or --cursor asks for a page."
            ))
            .arg(
                Arg::new("search")
                    .long("search")
                    .value_name("TEXT")
                    .help(format!("Only {many} whose {} hold this text.", def.search.join(", "))),
            )
            .arg(
                Arg::new("sort").long("sort").value_name("FIELD").allow_hyphen_values(true).help(format!(
                    "Order by one of: {} (prefix - for descending); creation order when left out.",
                    def.sorts.join(", ")
                )),
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_name("N")
                    .value_parser(clap::value_parser!(i64))
                    .help("One page of at most N (1-200); prints the page with its next_cursor."),
            )
            .arg(
                Arg::new("cursor")
                    .long("cursor")
                    .value_name("CURSOR")
                    .help("The page after this next_cursor."),
            );
        for name in def.filters {
            let flag = def
                .field(name)
                .map_or_else(|| name.replace('_', "-"), |f| f.cli_flag());
            list = list.arg(
                Arg::new(*name)
                    .long(flag)
                    .value_name("VALUE")
                    .help(format!("Only {many} with this {}.", name.replace('_', " "))),
            );
        }
        let cmd = cmd
            .subcommand_required(true)
            .subcommand(field_args::<T>(
                Command::new("add").about(format!("Record a {one}.")),
            ))
            .subcommand(list)
            .subcommand(
                Command::new("show")
                    .about(format!("Show one {one}."))
                    .arg(id_arg(one)),
            )
            .subcommand(
                field_args::<T>(
                    Command::new("update")
                        .about(format!("Change a {one} (only the given fields change).")),
                )
                .arg(id_arg(one))
                .arg(if_version_arg(one)),
            )
            .subcommand(
                Command::new("delete")
                    .about(format!("Delete a {one}."))
                    .arg(id_arg(one))
                    .arg(if_version_arg(one)),
            )
            .subcommand(
                Command::new("history")
                    .about(format!("Show a {one}'s change history."))
                    .arg(id_arg(one)),
            );
        X::augment_subcommands(cmd)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        GENERIC.contains(&name) || X::has_subcommand(name)
    }
}

impl<T: Record, X: Subcommand> FromArgMatches for RecordCmd<T, X> {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let id = |sub: &ArgMatches| {
            RecordId::from(sub.get_one::<String>("id").cloned().unwrap_or_default())
        };
        let if_version = |sub: &ArgMatches| sub.get_one::<i64>("if_version").copied();
        let file = |sub: &ArgMatches| sub.get_one::<PathBuf>("file").cloned();
        let action = match m.subcommand() {
            Some(("add", sub)) => Action::Add {
                values: values::<T>(sub),
                file: file(sub),
            },
            Some(("list", sub)) => {
                let limit = sub.get_one::<i64>("limit").copied();
                let cursor = sub.get_one::<String>("cursor").cloned();
                let filters = T::DEF
                    .filters
                    .iter()
                    .filter_map(|f| sub.get_one::<String>(f).map(|v| (f.to_string(), v.clone())))
                    .collect();
                Action::List {
                    one_page: limit.is_some() || cursor.is_some(),
                    params: ListParams {
                        filters,
                        q: sub.get_one::<String>("search").cloned(),
                        sort: sub.get_one::<String>("sort").cloned(),
                        cursor,
                        limit,
                    },
                }
            }
            Some(("show", sub)) => Action::Show { id: id(sub) },
            Some(("update", sub)) => Action::Update {
                id: id(sub),
                values: values::<T>(sub),
                file: file(sub),
                if_version: if_version(sub),
            },
            Some(("delete", sub)) => Action::Delete {
                id: id(sub),
                if_version: if_version(sub),
            },
            Some(("history", sub)) => Action::History { id: id(sub) },
            _ => Action::Extra(X::from_arg_matches(m)?),
        };
        Ok(RecordCmd {
            action,
            record: PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

/// Nouns of kit record types that have subcommands of their own, and so a variant of their own in
/// [`crate::args::Command`]; every other kit record type gets its noun from [`KitNoun`].
pub const OWN_NOUNS: &[&str] = &["party", "supplier"];

type Runner = Box<
    dyn for<'a> FnOnce(
        &'a crate::Ctx,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = crate::CmdResult> + 'a>,
    >,
>;

/// The noun of any kit record type (see `aims_app::kit::each_record`), parsed and ready to run: adding a record
/// type to the registry adds its CLI noun without touching the CLI.
pub struct KitNoun {
    /// The noun given.
    pub noun: &'static str,
    run: Runner,
}

impl std::fmt::Debug for KitNoun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KitNoun({})", self.noun)
    }
}

impl KitNoun {
    /// Runs the command.
    pub async fn run(self, ctx: &crate::Ctx) -> crate::CmdResult {
        (self.run)(ctx).await
    }
}

fn generic<T: Record>() -> bool {
    !OWN_NOUNS.contains(&T::DEF.noun)
}

impl Subcommand for KitNoun {
    fn augment_subcommands(cmd: Command) -> Command {
        struct Add(Option<Command>);
        impl aims_app::kit::RecordVisitor for Add {
            fn visit<T: Record>(&mut self) {
                if generic::<T>() {
                    let noun = Command::new(T::DEF.noun).about(T::DEF.about);
                    let noun = <RecordCmd<T> as Subcommand>::augment_subcommands(noun);
                    self.0 = self.0.take().map(|c| c.subcommand(noun));
                }
            }
        }
        let mut add = Add(Some(cmd));
        aims_app::kit::each_record(&mut add);
        add.0.unwrap_or_else(|| Command::new("aims"))
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        struct Has<'a>(&'a str, bool);
        impl aims_app::kit::RecordVisitor for Has<'_> {
            fn visit<T: Record>(&mut self) {
                self.1 |= generic::<T>() && T::DEF.noun == self.0;
            }
        }
        let mut has = Has(name, false);
        aims_app::kit::each_record(&mut has);
        has.1
    }
}

impl FromArgMatches for KitNoun {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        struct Parse<'a>(
            &'a str,
            &'a ArgMatches,
            Option<Result<KitNoun, clap::Error>>,
        );
        impl aims_app::kit::RecordVisitor for Parse<'_> {
            fn visit<T: Record>(&mut self) {
                if self.2.is_none() && generic::<T>() && T::DEF.noun == self.0 {
                    self.2 = Some(RecordCmd::<T>::from_arg_matches(self.1).map(|cmd| KitNoun {
                        noun: T::DEF.noun,
                        run: Box::new(move |ctx| Box::pin(crate::cmd_record::run_plain(ctx, cmd))),
                    }));
                }
            }
        }
        let Some((name, sub)) = m.subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let mut parse = Parse(name, sub, None);
        aims_app::kit::each_record(&mut parse);
        parse
            .2
            .unwrap_or_else(|| Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand)))
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}
