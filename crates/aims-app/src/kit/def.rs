//! The declaration of a record type: everything the generic use cases, endpoints, CLI noun and pages read.

use crate::Permission;
use aims_store::spec::TableSpec;

/// How a field is entered and shown. The JSON shape follows from it: text kinds are strings, [`FieldKind::Bool`]
/// a boolean, [`FieldKind::Tags`] an array of strings and [`FieldKind::Rows`] an array of objects.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Paragraphs of text.
    LongText,
    /// Yes or no.
    Bool,
    /// One value of a closed vocabulary (its stored texts).
    Choice(&'static [&'static str]),
    /// A list of short texts (entered one per line, or by repeating a CLI flag).
    Tags,
    /// A list of small records, each with the given fields (one level deep).
    Rows(&'static [Field]),
    /// The id of another record of the organization, of the named kind (`risk`): a list filtered on it refuses
    /// a value that is not an id, naming the field.
    Link(&'static str),
    /// A stable id the record gives itself (a requirement's id inside its party): carried through forms and
    /// updates unchanged, never shown or entered.
    Id,
    /// Values of the organization's own custom fields, a JSON object by field key: the pages show one input
    /// and one line per field the organization defines, labelled as it defines them.
    Custom,
}

/// One field of a record type.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The JSON key (also the column, form field and, with `-` for `_`, the CLI flag).
    pub name: &'static str,
    /// Label in pages and CLI output.
    pub label: &'static str,
    /// One sentence of guidance: the form hint and the CLI flag's help.
    pub help: &'static str,
    /// Entry and display kind.
    pub kind: FieldKind,
    /// Whether the record cannot be saved without it (shown in forms; the domain validation enforces it).
    pub required: bool,
    /// Whether lists show it as a column.
    pub in_list: bool,
    /// The CLI flag when it is not the name with `-` for `_` (e.g. `choice` for a repeated `choices` field).
    pub flag: Option<&'static str>,
    /// Whether only a workflow step sets it (an AI system's retirement date): shown on detail pages and by the
    /// CLI's `show`, never entered in a form or by flag.
    pub fixed: bool,
}

impl Field {
    /// A one-line text field that lists leave out; adjust with the builder methods.
    pub const fn text(name: &'static str, label: &'static str, help: &'static str) -> Field {
        Field {
            name,
            label,
            help,
            kind: FieldKind::Text,
            required: false,
            in_list: false,
            flag: None,
            fixed: false,
        }
    }

    /// The same field with another kind.
    pub const fn kind(mut self, kind: FieldKind) -> Field {
        self.kind = kind;
        self
    }

    /// The same field, required.
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// The same field, shown as a list column.
    pub const fn listed(mut self) -> Field {
        self.in_list = true;
        self
    }

    /// The same field, set only by a workflow step.
    pub const fn fixed(mut self) -> Field {
        self.fixed = true;
        self
    }

    /// The same field under another CLI flag.
    pub const fn flag(mut self, flag: &'static str) -> Field {
        self.flag = Some(flag);
        self
    }

    /// The CLI flag (without the leading `--`).
    pub fn cli_flag(&self) -> String {
        self.flag
            .map_or_else(|| self.name.replace('_', "-"), str::to_string)
    }
}

/// The declaration of a record type.
#[derive(Debug, Clone, Copy)]
pub struct RecordDef {
    /// Its table (and, through it, its change-log record type).
    pub spec: &'static TableSpec,
    /// Name of one record in running text, lower case but for acronyms: `context issue`, `AI system`.
    pub singular: &'static str,
    /// Name of several: `context issues`.
    pub plural: &'static str,
    /// The address segment of the API: `/api/v1/{path}`.
    pub path: &'static str,
    /// The address segment of the pages, `/{pages}`: the same as `path` but where the pages had their own
    /// address first (`/systems` for `ai-systems`), which bookmarks and links keep.
    pub pages: &'static str,
    /// The CLI noun: `aims {noun} add|list|show|update|delete|history`.
    pub noun: &'static str,
    /// The navigation section of its pages.
    pub area: &'static str,
    /// The OpenAPI tag of its endpoints.
    pub tag: &'static str,
    /// The field that names a record in headings and messages.
    pub title: &'static str,
    /// What the record type is for, in a sentence (page intro, CLI help, API description).
    pub about: &'static str,
    /// Who may read.
    pub read: Permission,
    /// Who may create, change and delete.
    pub write: Permission,
    /// Every field, in the order forms and detail pages show them.
    pub fields: &'static [Field],
    /// Fields a list can be filtered on by equality (text, choice, link or bool columns).
    pub filters: &'static [&'static str],
    /// Fields a list can be ordered by, besides creation order.
    pub sorts: &'static [&'static str],
    /// Text fields that the list's `q` searches (case-insensitive substring).
    pub search: &'static [&'static str],
    /// Whether a record may be deleted; records that are retired or closed instead (and kept for the audit
    /// trail) say `false`, and the generic delete refuses them.
    pub deletable: bool,
    /// What a write is checked against beyond each field's own rules, in a phrase (the API's 422 description
    /// names it): `scores outside the scales, unknown sources or systems`. Empty when nothing.
    pub rules: &'static str,
    /// What a replace does not do, in a sentence (the API's replace documentation says it): the fields it keeps
    /// as stored and the workflow step that changes them. Empty when a replace changes everything.
    pub kept: &'static str,
    /// Pages about one record that its detail page links to, each a label and an address in which `{id}`
    /// stands for the record's id (an AI system's classification, its risks).
    pub related: &'static [(&'static str, &'static str)],
}

impl RecordDef {
    /// The field with this name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The snake-case singular (`context_issue`), for operation ids and schema names.
    pub fn singular_snake(&self) -> String {
        self.singular.to_lowercase().replace([' ', '-'], "_")
    }

    /// The snake-case plural (`context_issues`).
    pub fn plural_snake(&self) -> String {
        self.plural.to_lowercase().replace([' ', '-'], "_")
    }

    /// The singular with its indefinite article: `a risk`, `an impact assessment`, `an AI system`.
    pub fn with_article(&self) -> String {
        let vowel = self
            .singular
            .chars()
            .next()
            .is_some_and(|c| "aeiouAEIOU".contains(c));
        format!("{} {}", if vowel { "an" } else { "a" }, self.singular)
    }

    /// The singular with a capital first letter, for headings.
    pub fn singular_title(&self) -> String {
        capitalise(self.singular)
    }

    /// The plural with a capital first letter, for headings.
    pub fn plural_title(&self) -> String {
        capitalise(self.plural)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The declaration of a record type whose pages and CLI noun (and list, unless it declares the fields it is
/// filtered by) are its own while its create, read and replace go through the kit (its rules in the
/// [`crate::kit::Record`] hooks): no sort keys or search, read by every member, written by contributors, and
/// never deleted (such records are closed, retired or superseded and kept for the audit trail). Such a type is
/// listed in [`crate::kit::each_record_with_own_faces`], not in [`crate::kit::each_record`]. `fields`,
/// `filters`, `pages` (default: the API path) and `related` are optional, in that order.
macro_rules! def_with_own_faces {
    (spec: $spec:expr, singular: $singular:literal, plural: $plural:literal, path: $path:literal,
     noun: $noun:literal, area: $area:literal, tag: $tag:literal, title: $title:literal,
     about: $about:literal, rules: $rules:literal, kept: $kept:literal
     $(, fields: $fields:expr)? $(, filters: $filters:expr)? $(, pages: $pages:literal)?
     $(, related: $related:expr)?) => {
        &$crate::kit::RecordDef {
            spec: $spec,
            singular: $singular,
            plural: $plural,
            path: $path,
            pages: $crate::kit::or_else!($($pages)?; $path),
            noun: $noun,
            area: $area,
            tag: $tag,
            title: $title,
            about: $about,
            read: $crate::Permission::Read,
            write: $crate::Permission::Write,
            fields: $crate::kit::or_else!($($fields)?; &[]),
            filters: $crate::kit::or_else!($($filters)?; &[]),
            sorts: &[],
            search: &[],
            deletable: false,
            rules: $rules,
            kept: $kept,
            related: $crate::kit::or_else!($($related)?; &[]),
        }
    };
}
pub(crate) use def_with_own_faces;

/// The given value, or the default after `;` when none is given (optional parts of a declaration macro).
macro_rules! or_else {
    ($given:expr; $default:expr) => {
        $given
    };
    (; $default:expr) => {
        $default
    };
}
pub(crate) use or_else;
