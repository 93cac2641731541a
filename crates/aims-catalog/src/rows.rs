//! The catalogue as it is served: a framework with its item count, an item with its details folded into one JSON
//! value, and a mapping seen from the item asked about. The store keeps these rows in its catalogue tables, the
//! use cases hold them in memory, and the API, CLI and pages show them; defining them once here keeps all of those
//! in step with the packs they come from.

use crate::{Framework, FrameworkInfo, Item};
use serde::{Deserialize, Serialize};

/// A framework of the catalogue, as served: its pack's header and the number of its items.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Framework))]
pub struct FrameworkRow {
    /// The pack's header (id, name, title, publisher, edition, pack version, source, description).
    #[serde(flatten)]
    pub info: FrameworkInfo,
    /// Number of items.
    pub items: i64,
}

/// The order frameworks are shown in: the standard first, then the frameworks mapped to it.
const FRAMEWORK_ORDER: [&str; 3] = ["iso42001", "nist-ai-rmf", "eu-ai-act"];

impl FrameworkRow {
    /// Puts frameworks in the order they are shown in (see `FRAMEWORK_ORDER`; others after them), whether they
    /// were read from the packs or from the store.
    pub fn sort(rows: &mut [FrameworkRow]) {
        rows.sort_by_key(|f| {
            FRAMEWORK_ORDER
                .iter()
                .position(|o| *o == f.info.id)
                .unwrap_or(FRAMEWORK_ORDER.len())
        });
    }

    /// The row of a parsed framework pack.
    pub fn of(framework: &Framework) -> FrameworkRow {
        FrameworkRow {
            info: framework.framework.clone(),
            items: i64::try_from(framework.items.len()).unwrap_or(i64::MAX),
        }
    }
}

/// A clause, control, article or subcategory of a framework, as served.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CatalogItem))]
pub struct ItemRow {
    /// Framework id.
    pub framework: String,
    /// Identifier inside the framework (`A.6.2.4`, `GOVERN 1.1`, `Art. 27`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// Kind (`clause`, `control`, `article`, `subcategory`, …).
    pub kind: String,
    /// Identifier of the parent item; empty at the top.
    pub parent: String,
    /// Short title.
    pub title: String,
    /// What it asks for, in aims' own words.
    pub description: String,
    /// Documented-information duty.
    pub documented_information: String,
    /// Topics, evidence, records, guidance and the verify flag.
    pub details: serde_json::Value,
}

impl ItemRow {
    /// The row of an item of framework `framework`.
    pub fn of(framework: &str, item: &Item) -> ItemRow {
        ItemRow {
            framework: framework.to_string(),
            reference: item.reference.clone(),
            kind: item.kind.clone(),
            parent: item.parent.clone(),
            title: item.title.clone(),
            description: item.description.clone(),
            documented_information: item.documented_information.clone(),
            details: item.details(),
        }
    }
}

impl Item {
    /// The item's topics, evidence, records, guidance and verify flag as one JSON object: the `details` of its row.
    pub fn details(&self) -> serde_json::Value {
        serde_json::json!({
            "topics": self.topics, "evidence": self.evidence, "records": self.records,
            "guidance": self.guidance, "verify": self.verify,
        })
    }
}

/// What a catalogue item maps to in another framework, seen from the item asked about.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Mapping))]
pub struct MappingRow {
    /// Crosswalk id.
    pub crosswalk: String,
    /// Framework of the other item.
    pub framework: String,
    /// The other item's identifier.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The other item's title.
    pub title: String,
    /// Relation (equivalent, subset, superset, related, …).
    pub relation: String,
    /// Source of the mapping.
    pub source: String,
    /// Note.
    pub note: String,
}
