//! Narrow reads behind computed views (the Statement of Applicability, the risk register's heat map) that must
//! stay fast with a hundred thousand risks: they read a few columns and let the database pick the latest
//! assessment's levels out of the JSON, so no record is parsed in full.

use crate::error::StoreError;
use crate::query::{Fields, Sql};
use crate::spec::c;
use crate::value::Kind;
use crate::{Conn, on_conn};

/// A risk reduced to what the Statement of Applicability and the heat map need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskSummary {
    /// Risk id.
    pub id: String,
    /// Record version.
    pub version: i64,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Inherent level of the latest assessment; empty when never assessed.
    pub inherent_level: String,
    /// Residual level of the latest assessment; empty when never assessed.
    pub residual_level: String,
}

/// Counts of in-scope, live AI systems per organization role, with one example name each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCount {
    /// The organization's role for the systems.
    pub role: String,
    /// How many systems.
    pub systems: i64,
    /// Name of one of them (the first by name).
    pub example: String,
}

impl Conn {
    /// Every risk of an organization as a [`RiskSummary`], in id order.
    pub async fn risk_summaries(&mut self, org: &str) -> Result<Vec<RiskSummary>, StoreError> {
        let level = |which: &str| {
            if self.is_sqlite() {
                format!("COALESCE(json_extract(assessments, '$[#-1].levels.{which}'), '')")
            } else {
                format!("COALESCE((assessments::jsonb -> -1 -> 'levels' ->> '{which}'), '')")
            }
        };
        let order = if self.is_sqlite() {
            "id"
        } else {
            "id COLLATE \"C\""
        };
        let sql = format!(
            "SELECT id, version, title, status, {}, {} FROM risks WHERE org_id = $1 ORDER BY {order}",
            level("inherent"),
            level("residual")
        );
        let cols = [
            c("id", Kind::Text),
            c("version", Kind::Int),
            c("title", Kind::Text),
            c("status", Kind::Text),
            c("inherent_level", Kind::Text),
            c("residual_level", Kind::Text),
        ];
        let rows = self.fetch_values(Sql::new(sql).text(org), &cols).await?;
        Ok(rows
            .into_iter()
            .map(|values| {
                let mut f = Fields::new(values);
                RiskSummary {
                    id: f.text(),
                    version: f.int(),
                    title: f.text(),
                    status: f.text(),
                    inherent_level: f.text(),
                    residual_level: f.text(),
                }
            })
            .collect())
    }

    /// In-scope AI systems that are not retired, counted per organization role.
    pub async fn system_role_counts(&mut self, org: &str) -> Result<Vec<RoleCount>, StoreError> {
        let sql = "SELECT org_role, COUNT(*), MIN(name) FROM ai_systems \
                   WHERE org_id = $1 AND in_scope = $2 AND lifecycle_stage <> 'retired' \
                   GROUP BY org_role ORDER BY org_role";
        let cols = [
            c("org_role", Kind::Text),
            c("systems", Kind::Int),
            c("example", Kind::Text),
        ];
        let rows = self
            .fetch_values(Sql::new(sql).text(org).boolean(true), &cols)
            .await?;
        Ok(rows
            .into_iter()
            .map(|values| {
                let mut f = Fields::new(values);
                RoleCount {
                    role: f.text(),
                    systems: f.int(),
                    example: f.text(),
                }
            })
            .collect())
    }
    /// Names (first few, by name) of in-scope, live AI systems that have a component from a registered supplier.
    pub async fn systems_with_suppliers(
        &mut self,
        org: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let exists = if self.is_sqlite() {
            "EXISTS (SELECT 1 FROM json_each(components) WHERE json_extract(value, '$.supplier_id') <> '')"
        } else {
            "EXISTS (SELECT 1 FROM jsonb_array_elements(components::jsonb) e WHERE e ->> 'supplier_id' <> '')"
        };
        let sql = format!(
            "SELECT name FROM ai_systems WHERE org_id = $1 AND in_scope = $2 \
             AND lifecycle_stage <> 'retired' AND {exists} ORDER BY name LIMIT $3"
        );
        let sql = Sql::new(sql).text(org).boolean(true).int(limit);
        let rows = self.fetch_values(sql, &[c("name", Kind::Text)]).await?;
        Ok(rows
            .into_iter()
            .map(|values| Fields::new(values).text())
            .collect())
    }
}

/// A treatment plan joined with its risk: what the Statement of Applicability needs of each, read in bulk.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct TreatedRiskRow {
    /// Risk id.
    pub risk_id: String,
    /// Controls the plan names.
    pub controls: Vec<String>,
    /// The plan's residual-risk acceptance (JSON null when none).
    pub acceptance: serde_json::Value,
    /// Risk record version.
    pub version: i64,
    /// Risk title.
    pub title: String,
    /// Risk status.
    pub status: String,
    /// Residual level of the risk's latest assessment; empty when never assessed.
    pub residual_level: String,
}

impl Conn {
    /// Every treatment plan of an organization joined with its risk, in risk id order. The database builds one
    /// JSON array of all rows, which is several times faster than a driver round trip per row on SQLite.
    pub async fn treated_risks(&mut self, org: &str) -> Result<Vec<TreatedRiskRow>, StoreError> {
        let sql = if self.is_sqlite() {
            "SELECT json_group_array(json_array(risk_id, json(controls), json(acceptance), version, title, \
             status, residual)) FROM (SELECT t.risk_id, t.controls, t.acceptance, r.version, r.title, r.status, \
             COALESCE(json_extract(r.assessments, '$[#-1].levels.residual'), '') AS residual \
             FROM treatments t JOIN risks r ON r.org_id = t.org_id AND r.id = t.risk_id \
             WHERE t.org_id = $1 ORDER BY t.risk_id, t.id)"
        } else {
            "SELECT json_agg(json_build_array(t.risk_id, t.controls::json, t.acceptance::json, r.version, \
             r.title, r.status, COALESCE(r.assessments::jsonb -> -1 -> 'levels' ->> 'residual', '')) \
             ORDER BY t.risk_id COLLATE \"C\", t.id COLLATE \"C\")::text \
             FROM treatments t JOIN risks r ON r.org_id = t.org_id AND r.id = t.risk_id WHERE t.org_id = $1"
        };
        let text: Option<String> = on_conn!(self, |c| {
            sqlx::query_scalar::<_, Option<String>>(sql)
                .bind(org.to_string())
                .fetch_one(c)
                .await?
        });
        match text {
            None => Ok(Vec::new()),
            Some(t) => {
                // Each row is a JSON array in the field order of `TreatedRiskRow`, which serde reads as the struct.
                serde_json::from_str(&t).map_err(|e| {
                    StoreError::Database(format!("reading treatment plans failed: {e}"))
                })
            }
        }
    }
}
