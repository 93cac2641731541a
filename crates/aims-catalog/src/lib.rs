//! Framework content packs — ISO/IEC 42001:2023, NIST AI RMF 1.0, the EU AI Act and the crosswalks between them —
//! embedded in the binary as TOML data files (see `packs/FORMAT.md`), parsed and checked here. The store loads
//! them into its catalogue tables; nothing in the code spells out a requirement.

pub mod templates;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use thiserror::Error;

pub mod questionnaire;
pub mod rows;

pub use questionnaire::{Questionnaire, classification_questionnaire, parse_questionnaire};
pub use rows::{FrameworkRow, ItemRow, MappingRow};

/// A pack's problem, naming the pack and the item.
#[derive(Debug, Error)]
#[error("content pack {pack}: {message}")]
pub struct PackError {
    /// Pack file name.
    pub pack: String,
    /// What is wrong.
    pub message: String,
}

impl PackError {
    /// A problem of the pack named `pack`.
    pub fn new(pack: &str, message: impl Into<String>) -> Self {
        PackError {
            pack: pack.to_string(),
            message: message.into(),
        }
    }
}

/// Reads the TOML of the pack named `pack` into `T`; a syntax or shape problem names the pack. Every kind of
/// pack starts here, and then checks its own content.
fn read_toml<T: serde::de::DeserializeOwned>(pack: &str, text: &str) -> Result<T, PackError> {
    toml::from_str(text).map_err(|e| PackError::new(pack, e.to_string()))
}

/// Header of a framework pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    /// Stable id (`iso42001`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Full title of the source document.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Edition of the source document.
    pub version: String,
    /// Version of this pack's content.
    pub pack_version: i64,
    /// Where identifiers and titles were checked.
    pub source: String,
    /// What the framework is, in our words.
    pub description: String,
}

/// One requirement, control, objective or other item of a framework.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Identifier exactly as in the source (`A.6.2.4`, `GOVERN 1.1`, `Art. 27`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// Kind of item (clause, control, subcategory, article, ...).
    pub kind: String,
    /// Parent item's ref, empty at the top.
    #[serde(default)]
    pub parent: String,
    /// Short title.
    pub title: String,
    /// What it asks for, in our words.
    pub description: String,
    /// none, maintain, retain or maintain_and_retain; empty where not applicable.
    #[serde(default)]
    pub documented_information: String,
    /// Implementation topics to consider (controls).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Typical evidence an auditor looks for (controls).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Records that show the requirement is met (clauses).
    #[serde(default)]
    pub records: Vec<String>,
    /// Longer guidance in our words.
    #[serde(default)]
    pub guidance: String,
    /// Whether the item should be checked against a licensed edition.
    #[serde(default)]
    pub verify: bool,
}

/// A parsed framework pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Header.
    pub framework: FrameworkInfo,
    /// Items in document order.
    pub items: Vec<Item>,
    /// SHA-256 of the pack file, recorded in the store to notice content changes.
    #[serde(skip)]
    pub sha256: String,
}

/// Header of a crosswalk pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkInfo {
    /// Stable id.
    pub id: String,
    /// Framework the mappings start from.
    pub from: String,
    /// Framework the mappings point to.
    pub to: String,
    /// Version of this pack's content.
    pub pack_version: i64,
    /// Published source of the mappings.
    pub source: String,
    /// What the crosswalk is and its limits.
    pub description: String,
}

/// One mapping row: an item of one framework related to items of another.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Ref in the `from` framework.
    pub from: String,
    /// Refs in the `to` framework.
    pub to: Vec<String>,
    /// related, equivalent or supports.
    pub relation: String,
    /// Source of this mapping when it differs from the crosswalk's.
    #[serde(default)]
    pub source: String,
    /// Errata or remarks.
    #[serde(default)]
    pub note: String,
}

/// A parsed crosswalk pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// Header.
    pub crosswalk: CrosswalkInfo,
    /// Mapping rows.
    pub mappings: Vec<Mapping>,
    /// SHA-256 of the pack file.
    #[serde(skip)]
    pub sha256: String,
}

/// All content packs built into this binary.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Framework packs.
    pub frameworks: Vec<Framework>,
    /// Crosswalk packs.
    pub crosswalks: Vec<Crosswalk>,
}

const FRAMEWORK_PACKS: &[(&str, &str)] = &[
    ("iso42001.toml", include_str!("../packs/iso42001.toml")),
    (
        "nist-ai-rmf.toml",
        include_str!("../packs/nist-ai-rmf.toml"),
    ),
    ("eu-ai-act.toml", include_str!("../packs/eu-ai-act.toml")),
];

const CROSSWALK_PACKS: &[(&str, &str)] = &[
    (
        "crosswalk-nist-ai-rmf--iso42001.toml",
        include_str!("../packs/crosswalk-nist-ai-rmf--iso42001.toml"),
    ),
    (
        "crosswalk-iso42001--eu-ai-act.toml",
        include_str!("../packs/crosswalk-iso42001--eu-ai-act.toml"),
    ),
];

const KINDS: &[(&str, &[&str])] = &[
    (
        "iso42001",
        &[
            "clause",
            "control_objective",
            "control",
            "annex_c_objectives",
            "annex_c_objective",
            "annex_c_risk_sources",
            "risk_source",
        ],
    ),
    ("nist-ai-rmf", &["function", "category", "subcategory"]),
    ("eu-ai-act", &["article", "annex_area"]),
];

const DOC_INFO: &[&str] = &["none", "maintain", "retain", "maintain_and_retain"];
const RELATIONS: &[&str] = &["related", "equivalent", "supports"];

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Parses and checks one framework pack.
pub fn parse_framework(pack: &str, text: &str) -> Result<Framework, PackError> {
    let err = |message: String| PackError::new(pack, message);
    let mut fw: Framework = read_toml(pack, text)?;
    fw.sha256 = sha256(text);
    let id = &fw.framework.id;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(format!("framework id '{id}' must be [a-z0-9-]+")));
    }
    let kinds = KINDS
        .iter()
        .find(|(f, _)| f == id)
        .map(|(_, k)| *k)
        .ok_or_else(|| err(format!("no kinds are defined for framework '{id}'")))?;
    let mut seen: HashSet<&str> = HashSet::new();
    let parents: HashSet<&str> = fw.items.iter().map(|i| i.parent.as_str()).collect();
    for item in &fw.items {
        let r = item.reference.as_str();
        let at = |m: &str| err(format!("item {r}: {m}"));
        if r.trim().is_empty() || r != r.trim() {
            return Err(at("ref must be non-empty and without surrounding spaces"));
        }
        if !seen.insert(r) {
            return Err(at("ref appears twice"));
        }
        if !kinds.contains(&item.kind.as_str()) {
            return Err(at(&format!(
                "kind '{}' is not one of {}",
                item.kind,
                kinds.join(", ")
            )));
        }
        if !item.parent.is_empty() && (!seen.contains(item.parent.as_str()) || item.parent == r) {
            return Err(at(&format!(
                "parent '{}' is not an earlier item",
                item.parent
            )));
        }
        if item.title.trim().is_empty() || item.description.trim().is_empty() {
            return Err(at("title and description must not be empty"));
        }
        if !item.documented_information.is_empty()
            && !DOC_INFO.contains(&item.documented_information.as_str())
        {
            return Err(at(&format!(
                "documented_information '{}' is not one of {}",
                item.documented_information,
                DOC_INFO.join(", ")
            )));
        }
        let is_leaf = !parents.contains(r);
        let kind = item.kind.as_str();
        let control_incomplete = item.documented_information.is_empty()
            || item.topics.is_empty()
            || item.evidence.is_empty();
        if kind == "control" && control_incomplete {
            return Err(at(
                "a control needs documented_information, topics and evidence",
            ));
        }
        if kind == "clause" && item.documented_information.is_empty() {
            return Err(at("a clause needs documented_information"));
        }
        if kind == "clause" && is_leaf && item.records.is_empty() {
            return Err(at(
                "a clause requirement needs the records that show it is met",
            ));
        }
    }
    Ok(fw)
}

/// Parses and checks one crosswalk pack against the frameworks it joins.
pub fn parse_crosswalk(
    pack: &str,
    text: &str,
    frameworks: &[Framework],
) -> Result<Crosswalk, PackError> {
    let err = |message: String| PackError::new(pack, message);
    let mut cw: Crosswalk = read_toml(pack, text)?;
    cw.sha256 = sha256(text);
    let refs = |fid: &str| -> Result<HashSet<String>, PackError> {
        frameworks
            .iter()
            .find(|f| f.framework.id == fid)
            .map(|f| f.items.iter().map(|i| i.reference.clone()).collect())
            .ok_or_else(|| err(format!("unknown framework '{fid}'")))
    };
    let from = refs(&cw.crosswalk.from)?;
    let to = refs(&cw.crosswalk.to)?;
    if cw.crosswalk.source.trim().is_empty() {
        return Err(err("a crosswalk must name its source".into()));
    }
    let mut pairs = HashSet::new();
    for m in &cw.mappings {
        if !from.contains(&m.from) {
            return Err(err(format!(
                "mapping from '{}': no such item in {}",
                m.from, cw.crosswalk.from
            )));
        }
        if m.to.is_empty() {
            return Err(err(format!("mapping from '{}' maps to nothing", m.from)));
        }
        if !RELATIONS.contains(&m.relation.as_str()) {
            return Err(err(format!(
                "mapping from '{}': relation '{}' is not one of {}",
                m.from,
                m.relation,
                RELATIONS.join(", ")
            )));
        }
        for t in &m.to {
            if !to.contains(t) {
                return Err(err(format!(
                    "mapping from '{}' to '{t}': no such item in {}",
                    m.from, cw.crosswalk.to
                )));
            }
            if !pairs.insert((m.from.clone(), t.clone())) {
                return Err(err(format!(
                    "mapping from '{}' to '{t}' appears twice",
                    m.from
                )));
            }
        }
    }
    Ok(cw)
}

impl Catalog {
    /// Parses every built-in pack. The packs are checked by this crate's tests, so failure here means a broken
    /// build, reported as an error rather than a panic.
    pub fn builtin() -> Result<Catalog, PackError> {
        let mut frameworks = Vec::new();
        for (name, text) in FRAMEWORK_PACKS {
            frameworks.push(parse_framework(name, text)?);
        }
        let mut crosswalks = Vec::new();
        for (name, text) in CROSSWALK_PACKS {
            crosswalks.push(parse_crosswalk(name, text, &frameworks)?);
        }
        Ok(Catalog {
            frameworks,
            crosswalks,
        })
    }

    /// A framework by id.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.framework.id == id)
    }
}

#[cfg(test)]
mod tests;
